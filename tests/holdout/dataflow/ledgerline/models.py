"""SQLAlchemy models."""
from datetime import datetime, timezone

from flask_login import UserMixin
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db


def _now():
    return datetime.now(timezone.utc)


class Merchant(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    country = db.Column(db.String(2), nullable=False, default="US")
    billing_email = db.Column(db.String(255), nullable=False)
    api_key_hash = db.Column(db.String(64), unique=True, index=True)
    endpoint_url = db.Column(db.String(255))
    webhook_secret = db.Column(db.String(64))
    quickbooks_refresh_token = db.Column(db.String(512))
    created_at = db.Column(db.DateTime(timezone=True), default=_now)

    def __repr__(self):
        return f"<Merchant {self.id} {self.name!r}>"


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    merchant_id = db.Column(db.Integer, db.ForeignKey("merchant.id"))
    email = db.Column(db.String(255), unique=True, nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    is_admin = db.Column(db.Boolean, default=False)
    merchant = db.relationship("Merchant")

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)


class Customer(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    merchant_id = db.Column(db.Integer, db.ForeignKey("merchant.id"), index=True)
    name = db.Column(db.String(120), nullable=False)
    email = db.Column(db.String(255))
    country = db.Column(db.String(2))
    dob = db.Column(db.Date)
    ssn = db.Column(db.String(11))
    tax_id = db.Column(db.String(32))
    kyc_verified_at = db.Column(db.DateTime(timezone=True))
    billing_address = db.Column(db.Text)


class PaymentMethod(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    customer_id = db.Column(db.Integer, db.ForeignKey("customer.id"), index=True)
    brand = db.Column(db.String(16))
    card_number = db.Column(db.String(19))
    card_last4 = db.Column(db.String(4))
    exp_month = db.Column(db.Integer)
    exp_year = db.Column(db.Integer)
    customer = db.relationship("Customer")


class Invoice(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    merchant_id = db.Column(db.Integer, db.ForeignKey("merchant.id"), index=True)
    customer_id = db.Column(db.Integer, db.ForeignKey("customer.id"))
    amount_cents = db.Column(db.Integer, nullable=False)
    currency = db.Column(db.String(3), default="USD")
    status = db.Column(db.String(16), default="open")
    billing_address = db.Column(db.Text)
    created_at = db.Column(db.DateTime(timezone=True), default=_now)
    customer = db.relationship("Customer")


class WebhookDelivery(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    merchant_id = db.Column(db.Integer, db.ForeignKey("merchant.id"))
    payload = db.Column(db.JSON)
    attempts = db.Column(db.Integer, default=0)
    delivered_at = db.Column(db.DateTime(timezone=True))
    merchant = db.relationship("Merchant")
