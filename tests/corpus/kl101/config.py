"""Configuration classes for the storefront service.

Loaded with ``app.config.from_object(config_by_name[env])``.
"""
import os


class Config:
    SECRET_KEY = "f9c2e8b1d4a7-storefront-2019"  # expect: KL101
    SQLALCHEMY_DATABASE_URI = "postgresql://shop_app:Vq7x2LmR9tKe@db.internal:5432/shop"  # expect: KL101
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    MAIL_SERVER = "smtp.mailgun.org"
    MAIL_PORT = 587
    MAIL_USERNAME = "postmaster@mg.storefront.example"  # ok: a login name is not a credential
    MAIL_PASSWORD = "b7Hq-29xKv!pLm4"  # expect: KL101
    JWT_ALGORITHM = "HS256"  # ok: algorithm name, not a key
    API_KEY_HEADER = "X-API-Key"  # ok: header name
    STRIPE_API_KEY_ENV = "STRIPE_API_KEY"  # ok: name of an environment variable
    PASSWORD_RESET_URL = "/account/reset"  # ok: path of the reset page
    CACHE_KEY_PREFIX = "storefront:v2:"  # ok: cache namespace, key without a credential qualifier
    SESSION_COOKIE_NAME = "storefront_session"  # ok: cookie name
    CSRF_TOKEN_FIELD = "csrf_token"  # ok: identifier-like form field name
    OAUTH_TOKEN_URL = "https://auth.storefront.example/oauth/token"  # ok: endpoint URL without user:password@
    PAYMENTS_API_KEY = os.environ.get("PAYMENTS_API_KEY")  # ok: env read without a default
    SEARCH_API_KEY = os.environ.get("SEARCH_API_KEY", "")  # ok: empty default


class ProductionConfig(Config):
    SECRET_KEY = "changeme"  # expect: KL101
    REDIS_URL = "redis://default:Zp4kW8qN2sXy@cache.internal:6379/0"  # expect: KL101
    SENTRY_DSN = os.environ["SENTRY_DSN"]  # ok: env read


class StagingConfig(Config):
    SECRET_KEY = os.environ.get("SECRET_KEY", "st4ging-9QmLx2vR7kTp")  # expect: KL101
    SQLALCHEMY_DATABASE_URI = os.environ["DATABASE_URL"]  # ok: env read


class DevelopmentConfig(Config):
    SECRET_KEY = "dev"  # ok: development configuration
    SQLALCHEMY_DATABASE_URI = "sqlite:///storefront-dev.db"  # ok: no credentials in the URL
    MAIL_PASSWORD = ""  # ok: empty string


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret-key"  # ok: test configuration
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # ok: in-memory database
    WTF_CSRF_ENABLED = False


config_by_name = {
    "production": ProductionConfig,
    "staging": StagingConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
