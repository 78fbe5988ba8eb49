"""Configuration for the widgets backend. flask-cors reads the CORS_* keys
when ``CORS(app)`` runs; the finding, if any, is reported at that call."""
import os


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SESSION_COOKIE_SECURE = True
    CORS_ORIGINS = ["https://app.widgets.example", "https://admin.widgets.example"]  # ok: an explicit allow-list
    CORS_SUPPORTS_CREDENTIALS = True  # ok: a fact for the CORS(app) call in create_app, with an allow-listed origin set


class LegacyConfig(Config):
    """v1 API on the old domain. Origins were opened up for a customer's intranet and never narrowed."""

    CORS_ORIGINS = "*"  # ok: a fact for the CORS(app) call in create_legacy_app, reported there
    CORS_SUPPORTS_CREDENTIALS = True  # ok: a fact for the CORS(app) call in create_legacy_app, reported there


class PartnerConfig:
    SECRET_KEY = os.environ.get("PARTNER_SECRET_KEY")
    CORS_SUPPORTS_CREDENTIALS = True  # ok: a fact for the CORS(app) call in create_partner_app; no CORS_ORIGINS here, so flask-cors allows every origin
