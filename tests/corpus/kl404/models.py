"""Models shared by the shop app and the partner portal."""
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    otp_secret = db.Column(db.String(32))
    active = db.Column(db.Boolean, default=True)

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):  # ok: a model helper, not a route (routes that call it verify a credential)
        return check_password_hash(self.password_hash, password)


class Partner(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    slug = db.Column(db.String(64), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    client_secret_hash = db.Column(db.String(255), nullable=False)
    pin_hash = db.Column(db.String(255))
    otp_secret = db.Column(db.String(32))

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


class StaffMember(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    store_id = db.Column(db.Integer, nullable=False)
    pin_hash = db.Column(db.String(255), nullable=False)
    badge_token_sha256 = db.Column(db.String(64), unique=True)
    is_manager = db.Column(db.Boolean, default=False)


class LoginCode(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("user.id"), nullable=False)
    code_hash = db.Column(db.String(255), nullable=False)
