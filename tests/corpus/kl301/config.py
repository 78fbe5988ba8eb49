"""Configuration classes, selected with the APP_ENV variable."""
import os


class Config:
    DEBUG = True  # expect: KL301
    TESTING = False
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")


class ProductionConfig(Config):
    DEBUG = True  # expect: KL301
    PREFERRED_URL_SCHEME = "https"


class StagingConfig(Config):
    DEBUG = True  # expect: KL301


class ProdConfig(Config):
    DEBUG = False  # ok: debug off


class DevelopmentConfig(Config):
    DEBUG = True  # ok: development configuration
    SQLALCHEMY_ECHO = True  # ok: not debug mode


class DevConfig(Config):
    DEBUG = True  # ok: development configuration


class LocalConfig(Config):
    DEBUG = True  # ok: local development configuration


class TestingConfig(Config):
    TESTING = True  # ok: not debug mode
    DEBUG = True  # ok: test configuration


class TestConfig(Config):
    DEBUG = True  # ok: test configuration


class Settings:
    DEBUG = True  # expect: KL301
    ITEMS_PER_PAGE = 50


config = {
    "production": ProductionConfig,
    "prod": ProdConfig,
    "staging": StagingConfig,
    "development": DevelopmentConfig,
    "dev": DevConfig,
    "local": LocalConfig,
    "testing": TestingConfig,
    "test": TestConfig,
    "default": Settings,
}
