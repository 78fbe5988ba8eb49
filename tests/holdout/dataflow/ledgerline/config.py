"""Configuration classes for the Ledgerline billing service.

Every credential is read from the environment; the deployment injects them
from the secret store. Defaults exist only so that `flask shell` works on a
laptop.
"""
import os

basedir = os.path.abspath(os.path.dirname(__file__))


class Config:
    SERVICE_NAME = "ledgerline"
    LOG_LEVEL = os.environ.get("LEDGERLINE_LOG_LEVEL", "INFO")
    SECRET_KEY = os.environ.get("LEDGERLINE_SECRET_KEY", "ed013e50181d960e9558c1530a493afbb8b64cb5")  # expect: KL101
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(basedir, "ledgerline.db"))
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"

    # Payment provider
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")  # ok: empty default
    STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "pk_live_51GolUByxRmXBYQ0DVbpag1xYKiuMw7TpH")  # ok: publishable key, meant for browsers
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")

    # Messaging
    SENDGRID_API_KEY = os.environ.get("SENDGRID_API_KEY")
    SENDGRID_FROM = os.environ.get("SENDGRID_FROM", "billing@ledgerline.io")
    TWILIO_ACCOUNT_SID = os.environ.get("TWILIO_ACCOUNT_SID")
    TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN")
    TWILIO_CALLBACK_TOKEN = os.environ.get("TWILIO_CALLBACK_TOKEN")
    TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "+15005550006")
    SLACK_WEBHOOK_URL = os.environ.get("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/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")  # expect: KL101

    # Accounting / FX / maps
    QUICKBOOKS_CLIENT_ID = os.environ.get("QUICKBOOKS_CLIENT_ID", "ABpdxfWEIRH3KU3hOuNsFqrLtCCuFVpoDCIb20W0tvi1jsmCaD")  # ok: OAuth client id, not a secret
    QUICKBOOKS_CLIENT_SECRET = os.environ.get("QUICKBOOKS_CLIENT_SECRET")
    QUICKBOOKS_VERIFIER_TOKEN = os.environ.get("QUICKBOOKS_VERIFIER_TOKEN")
    FX_ACCESS_KEY = os.environ.get("FX_ACCESS_KEY")
    GOOGLE_MAPS_API_KEY = os.environ.get("GOOGLE_MAPS_API_KEY")

    # Service-to-service
    PARTNER_API_KEY = os.environ.get("PARTNER_API_KEY")
    INTERNAL_SERVICE_TOKEN = os.environ.get("INTERNAL_SERVICE_TOKEN")
    RECEIPT_SIGNING_KEY = os.environ.get("RECEIPT_SIGNING_KEY")
    API_KEY_HEADER = "X-Ledgerline-Key"  # ok: header name
    API_KEY_PREFIX = "ll_live_"  # ok: literal prefix of issued keys, not a key
    JWT_ALGORITHM = "HS256"  # ok: algorithm name

    STATEMENTS_CDN = os.environ.get("STATEMENTS_CDN", "https://statements.ledgerline.io")
    EXPORT_DIR = os.environ.get("LEDGERLINE_EXPORT_DIR", "/var/lib/ledgerline/exports")
    AUDIT_LOG_PATH = os.environ.get("LEDGERLINE_AUDIT_LOG", "/var/log/ledgerline/rotations.log")
    SHOW_TRACEBACKS = os.environ.get("LEDGERLINE_SHOW_TRACEBACKS") == "1"
    CORS_ORIGINS = ["https://dashboard.ledgerline.io"]


class ProductionConfig(Config):
    DEBUG = False
    SESSION_COOKIE_SECURE = True


class DevelopmentConfig(Config):
    DEBUG = True  # ok: development config
    SECRET_KEY = "dev-only-ledgerline"  # ok: development config
    SESSION_COOKIE_SECURE = False  # ok: development config served over http://localhost
    LOG_LEVEL = "DEBUG"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"  # ok: test config
    SQLALCHEMY_DATABASE_URI = "sqlite://"


config_by_name = {
    "production": ProductionConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
