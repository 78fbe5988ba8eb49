"""Settings for tallyhub.

``create_app`` picks a class with ``TALLYHUB_ENV``. Secrets are meant to come
from the environment; a few older values were never moved out (see OPS-212).
"""
import os
from datetime import timedelta

basedir = os.path.abspath(os.path.dirname(__file__))


def _env_flag(name, default="0"):
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


class BaseConfig:
    SECRET_KEY = os.environ.get("SECRET_KEY", "tally-9f2Kq7WmXc4Lr8Tz")  # expect: KL101
    DEBUG = _env_flag("TALLYHUB_DEBUG")  # ok: taken from the environment
    TESTING = False
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "DEBUG")  # ok: a log level, not debug mode
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite:///" + os.path.join(basedir, "tally.db"))  # ok: sqlite file, no credentials
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    JWT_SECRET_KEY = os.environ.get("JWT_SECRET_KEY")  # ok: env read without a default
    JWT_ALGORITHM = "HS512"  # ok: algorithm name
    JWT_TOKEN_LOCATION = ["headers"]  # ok: where tokens travel, not a token
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)  # ok: a duration
    API_KEY_HEADER = "X-API-Key"  # ok: header name
    MAX_TOKENS_PER_USER = 5  # ok: a count
    PASSWORD_RESET_URL = "https://app.tallyhub.example/account/reset"  # ok: reset page URL
    CACHE_KEY_PREFIX = "tallyhub:v3:"  # ok: cache namespace

    STRIPE_PUBLISHABLE_KEY = "pk_live_51QnTf8Rb2XkLmP0aZc7Vy3Hd"  # ok: publishable key, meant for the browser
    STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")  # ok: empty default
    STRIPE_WEBHOOK_SECRET = "whsec_53y9z6GFXd0FtBfXtVV6mZdG6EIMGVZ8"  # expect: KL101
    GITHUB_OAUTH_CLIENT_ID = "Iv1.8a61f9b3a2c4d5e6"  # ok: OAuth client id is public
    GITHUB_OAUTH_CLIENT_SECRET = os.environ.get("GITHUB_OAUTH_CLIENT_SECRET")  # ok: env read

    MAIL_SERVER = "smtp.sendgrid.net"
    MAIL_PORT = 587
    MAIL_USE_TLS = True
    MAIL_USERNAME = "apikey"  # ok: SendGrid's fixed SMTP login name
    MAIL_PASSWORD = os.environ.get("SENDGRID_API_KEY")  # ok: env read

    RATELIMIT_STORAGE_URI = "redis://localhost:6379/1"  # ok: no credentials in the URL
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "amqp://tally:Rk3vQ8zLp2Wx@mq.internal:5672/tally")  # expect: KL101
    PARTNER_SYNC_TOKEN = os.environ.get("PARTNER_SYNC_TOKEN")  # ok: env read
    SUPPORT_PASSWORD = os.environ.get("SUPPORT_PASSWORD")  # ok: env read


class ProductionConfig(BaseConfig):
    DEBUG = False  # ok: debug off
    SESSION_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    PROPAGATE_EXCEPTIONS = True  # ok: not debug mode
    AWS_ACCESS_KEY_ID = "AKIAL99X2NPXGLSS5D1H"  # expect: KL101
    AWS_SECRET_ACCESS_KEY = "15gxY5TbIRIMG+gnGIAqGWUl5bm1s9F7fMgOQLgP"  # expect: KL101
    AWS_DEFAULT_REGION = "eu-central-1"


class StagingConfig(ProductionConfig):
    DEBUG = True  # expect: KL301
    SECRET_KEY = os.environ["SECRET_KEY"]  # ok: env read


class DockerConfig(ProductionConfig):
    # used by docker-compose.prod.yml on the on-prem installs
    DEBUG = True  # expect: KL301
    SQLALCHEMY_DATABASE_URI = "postgresql://tally:Hq84mZr2LkVw@db:5432/tally"  # expect: KL101


class DemoConfig(ProductionConfig):
    # demo.tallyhub.example, open to prospects
    DEBUG = True  # expect: KL301
    DEMO_RESET_EVERY = timedelta(hours=6)


class LocalDockerConfig(BaseConfig):
    DEBUG = True  # ok: local development configuration
    SQLALCHEMY_DATABASE_URI = "postgresql://postgres:postgres@db:5432/tally_dev"  # ok: default local docker credentials


class DevelopmentConfig(BaseConfig):
    DEBUG = True  # ok: development configuration
    SECRET_KEY = "dev-not-secret"  # ok: development configuration
    SQLALCHEMY_DATABASE_URI = "postgresql://postgres:postgres@localhost:5432/tally_dev"  # ok: default local credentials on loopback
    SQLALCHEMY_ECHO = True  # ok: query echo, not debug mode
    EXPLAIN_TEMPLATE_LOADING = True  # ok: not debug mode


class TestingConfig(BaseConfig):
    TESTING = True  # ok: not debug mode
    DEBUG = True  # ok: test configuration
    SECRET_KEY = "test"  # ok: test configuration
    WTF_CSRF_ENABLED = False
    STRIPE_SECRET_KEY = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"  # ok: placeholder
    MAIL_PASSWORD = "your-sendgrid-api-key-here"  # ok: placeholder
    SQLALCHEMY_DATABASE_URI = "sqlite://"  # ok: in-memory database


config_by_name = {
    "production": ProductionConfig,
    "staging": StagingConfig,
    "docker": DockerConfig,
    "demo": DemoConfig,
    "local-docker": LocalDockerConfig,
    "development": DevelopmentConfig,
    "testing": TestingConfig,
}
