"""Database models."""
from datetime import datetime, timezone

from flask_login import UserMixin

from .extensions import db


def utcnow():
    return datetime.now(timezone.utc)


class Tenant(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120), nullable=False)
    plan = db.Column(db.String(32), default="starter")
    suspended = db.Column(db.Boolean, default=False)


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.Integer, db.ForeignKey("tenant.id"), index=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    name = db.Column(db.String(120))
    password_hash = db.Column(db.String(255), nullable=False)
    role = db.Column(db.String(16), default="member")
    remember_digest = db.Column(db.String(64))
    pat_digest = db.Column(db.String(64))
    tenant = db.relationship("Tenant")

    @property
    def is_admin(self):
        return self.role == "admin"


class ApiKey(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.Integer, db.ForeignKey("tenant.id"), index=True)
    label = db.Column(db.String(64))
    prefix = db.Column(db.String(12), index=True)
    digest = db.Column(db.String(64), unique=True)
    created_at = db.Column(db.DateTime(timezone=True), default=utcnow)
    revoked_at = db.Column(db.DateTime(timezone=True))


class OAuthClient(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.Integer, db.ForeignKey("tenant.id"))
    client_id = db.Column(db.String(48), unique=True, index=True)
    secret_hash = db.Column(db.String(255))
    scopes = db.Column(db.String(255), default="read")


class WebhookEndpoint(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(db.Integer, db.ForeignKey("tenant.id"), index=True)
    url = db.Column(db.String(255), nullable=False)
    signing_digest = db.Column(db.String(64))


class Partner(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(120))
    login = db.Column(db.String(64), unique=True)
    password_hash = db.Column(db.String(255))
    key_digest = db.Column(db.String(64))


class Order(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    partner_id = db.Column(db.Integer, db.ForeignKey("partner.id"))
    tenant_id = db.Column(db.Integer, db.ForeignKey("tenant.id"))
    sku = db.Column(db.String(32))
    seats = db.Column(db.Integer, default=1)
