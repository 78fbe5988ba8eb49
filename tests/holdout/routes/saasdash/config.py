"""Configuration classes. Secrets come from the environment (.env locally)."""
import os
from datetime import timedelta
from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


def _settings():
    with open(BASE_DIR / "config" / "settings.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


SETTINGS = _settings()


class Config:
    DEBUG = os.environ.get("FLASK_DEBUG") == "1"  # ok: env-derived
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + str(BASE_DIR / "saasdash.db"))
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    LOG_LEVEL = "INFO"

    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_DURATION = timedelta(days=14)

    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY", "0CO8W7RQHy2Yp_ptzsJqLOJqu3g9DYpQaxEN_cNljiR")  # expect: KL101
    JWT_TOKEN_LOCATION = ["headers", "cookies"]
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(minutes=15)
    JWT_REFRESH_TOKEN_EXPIRES = timedelta(days=14)
    JWT_COOKIE_SECURE = False  # expect: KL305
    JWT_COOKIE_SAMESITE = "Lax"

    CORS_ORIGINS = ["https://app.saasdash.io", "https://admin.saasdash.io"]
    PARTNER_ORIGINS = ("https://partners.saasdash.io", "https://portal.leadbridge.net")
    TALISMAN_FORCE_HTTPS = True

    MAIL_SERVER = SETTINGS["mail"]["server"]
    MAIL_PORT = 587
    MAIL_USERNAME = SETTINGS["mail"]["username"]
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    CRM_API_TOKEN = os.environ.get("CRM_API_TOKEN")
    ANALYTICS_USER = os.environ.get("ANALYTICS_USER", "saasdash")
    ANALYTICS_PASSWORD = os.environ.get("ANALYTICS_PASSWORD")
    LEGACY_BILLING_KEY = os.environ.get("LEGACY_BILLING_KEY")
    ELASTIC_PASSWORD = os.environ.get("ELASTIC_PASSWORD")
    CONSUL_TOKEN = os.environ.get("CONSUL_HTTP_TOKEN")
    INTERNAL_SERVICE_TOKEN = os.environ.get("INTERNAL_SERVICE_TOKEN")
    GITHUB_WEBHOOK_SECRET = os.environ.get("GITHUB_WEBHOOK_SECRET")
    STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET")
    CA_BUNDLE = os.environ.get("SAASDASH_CA_BUNDLE", "/etc/ssl/certs/saasdash-internal.pem")


class ProductionConfig(Config):
    PREFERRED_URL_SCHEME = "https"


class StagingConfig(Config):
    """staging.saasdash.io: production data snapshot, reachable from the internet."""

    DEBUG = True  # expect: KL301
    SESSION_COOKIE_SECURE = False  # expect: KL305


class DemoConfig(Config):
    """demo.saasdash.io, used by the sales team with prospects."""

    DEBUG = True  # expect: KL301
    REMEMBER_COOKIE_HTTPONLY = False  # expect: KL305


class DevelopmentConfig(Config):
    DEBUG = True  # ok: development config
    SECRET_KEY = "dev"  # ok: development config
    JWT_SECRET_KEY = "dev-jwt-secret"  # ok: development config
    SESSION_COOKIE_SECURE = False  # ok: development config over http://localhost
    REMEMBER_COOKIE_SECURE = False  # ok: development config over http://localhost
    TALISMAN_FORCE_HTTPS = False
    LOG_LEVEL = "DEBUG"  # ok: a log level


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing"  # ok: test config
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    RATELIMIT_ENABLED = False


CONFIGS = {
    "production": ProductionConfig,
    "staging": StagingConfig,
    "demo": DemoConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
