"""Configuration classes for ledgerly, picked in ``create_app`` by LEDGERLY_ENV."""
import os
from datetime import timedelta


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY")
    SESSION_COOKIE_NAME = "ledgerly_session"  # ok: a cookie name
    SESSION_COOKIE_HTTPONLY = False  # expect: KL305
    SESSION_COOKIE_SAMESITE = "Lax"  # ok: SameSite set
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)  # ok: a lifetime, not a flag
    REMEMBER_COOKIE_DURATION = timedelta(days=14)  # ok: a duration, not a flag
    JWT_TOKEN_LOCATION = ["cookies"]
    JWT_COOKIE_CSRF_PROTECT = True  # ok: CSRF protection on
    JWT_COOKIE_SAMESITE = "Strict"  # ok: SameSite set


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = False  # expect: KL305
    SESSION_COOKIE_DOMAIN = ".ledgerly.example"  # ok: a domain, not a flag
    REMEMBER_COOKIE_SECURE = True  # ok: flag on
    REMEMBER_COOKIE_HTTPONLY = False  # expect: KL305
    JWT_COOKIE_SECURE = False  # expect: KL305


class StagingConfig(ProductionConfig):
    SESSION_COOKIE_HTTPONLY = True  # ok: flag on
    REMEMBER_COOKIE_HTTPONLY = True  # ok: flag on
    REMEMBER_COOKIE_SECURE = False  # expect: KL305


class HardenedConfig(ProductionConfig):
    SESSION_COOKIE_SECURE = True  # ok: flag on
    SESSION_COOKIE_HTTPONLY = True  # ok: flag on
    REMEMBER_COOKIE_HTTPONLY = True  # ok: flag on
    JWT_COOKIE_SECURE = True  # ok: flag on


class DevelopmentConfig(Config):
    SESSION_COOKIE_SECURE = False  # ok: development configuration runs over plain http
    JWT_COOKIE_SECURE = False  # ok: development configuration


class TestingConfig(Config):
    TESTING = True
    SESSION_COOKIE_SECURE = False  # ok: test configuration
    WTF_CSRF_ENABLED = False


config_by_name = {
    "production": ProductionConfig,
    "staging": StagingConfig,
    "hardened": HardenedConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
