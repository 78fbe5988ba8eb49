"""Settings loader: reads secrets from the environment and validates them early."""
import os
from dataclasses import dataclass


class ConfigError(RuntimeError):
    """Raised at start-up when the environment is incomplete or malformed."""


def require(name):
    value = os.environ.get(name)
    if not value:
        raise ConfigError(f"missing required environment variable {name}")  # ok: the variable name, not its value
    return value


def load_stripe_key():
    key = os.environ["STRIPE_SECRET_KEY"]
    if len(key) < 32:
        raise ConfigError(f"STRIPE_SECRET_KEY is malformed: {key}")  # expect: KL206
    if " " in key:
        raise ConfigError(f"STRIPE_SECRET_KEY contains whitespace (ends with {key[-4:]})")  # ok: short slice
    return key


def load_jwt_secret():
    secret = os.getenv("JWT_SECRET_KEY", "")
    if len(secret) < 32:
        raise ConfigError("JWT_SECRET_KEY too short: {}".format(secret))  # expect: KL206
    if secret.isalpha():
        raise ConfigError("JWT_SECRET_KEY is too weak (%d characters, letters only)" % len(secret))  # ok: len()
    return secret


def load_sentry_dsn():
    dsn = os.environ.get("SENTRY_DSN")
    if dsn and not dsn.startswith("https://"):
        raise ConfigError("invalid SENTRY_DSN: " + dsn)  # expect: KL206
    return dsn


def load_database_password():
    password = require("DATABASE_PASSWORD")
    if password[0].isspace() or password[-1].isspace():
        raise ValueError("DATABASE_PASSWORD has surrounding whitespace: %r" % password)  # expect: KL206
    if not password.isprintable():
        raise ValueError("DATABASE_PASSWORD contains non-printable characters")  # ok: fixed message
    return password


@dataclass
class Settings:
    stripe_secret_key: str
    jwt_secret_key: str
    sentry_dsn: str | None
    database_password: str

    def __post_init__(self):
        if not self.stripe_secret_key:
            raise ConfigError("stripe_secret_key is empty")  # ok: names the field
        if self.jwt_secret_key in (self.stripe_secret_key, self.database_password):
            raise ConfigError(f"jwt_secret_key must differ from the other secrets, got {self.jwt_secret_key}")  # expect: KL206
        if len(self.jwt_secret_key) > 512:
            raise ConfigError(f"jwt_secret_key is {len(self.jwt_secret_key)} characters long")  # ok: len()


def load_settings():
    return Settings(stripe_secret_key=load_stripe_key(), jwt_secret_key=load_jwt_secret(), sentry_dsn=load_sentry_dsn(), database_password=load_database_password())


def lookup_key(keys, key_name):
    try:
        return keys[key_name]
    except KeyError:
        raise ConfigError(f"unknown key name {key_name!r}") from None  # ok: a key name
