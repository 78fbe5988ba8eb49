"""Billing service factory: configuration loading and start-up diagnostics."""
import json
import logging
import os
import sys

from flask import Flask

from .extensions import db, migrate

log = logging.getLogger("billing.startup")

SECRET_SUFFIXES = ("KEY", "SECRET", "TOKEN", "PASSWORD", "DSN")


def redact_config(config):
    return {name: ("***" if name.endswith(SECRET_SUFFIXES) else value) for name, value in config.items()}


def create_app(config_object="billing.config.ProductionConfig"):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_object)
    app.config.from_prefixed_env()
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["STRIPE_SECRET_KEY"] = os.environ["STRIPE_SECRET_KEY"]

    log.info("loaded configuration %s", app.config)  # expect: KL202
    log.info("loaded configuration %s", redact_config(app.config))  # ok: redacted copy
    log.info("loaded %d settings from %s", len(app.config), config_object)  # ok: a count and a module path
    log.info("configuration keys: %s", sorted(app.config.keys()))  # ok: setting names only
    log.debug("raw config: " + json.dumps(dict(app.config), default=str))  # expect: KL202
    log.info("testing=%s, server name=%s", app.testing, app.config.get("SERVER_NAME"))  # ok: non-secret settings
    log.info("database host %s", app.config.get("DB_HOST"))  # ok: a host name

    for name, value in app.config.items():
        log.debug("config %s = %r", name, value)  # expect: KL202|KL201
    for name in app.config:
        log.debug("config entry %s is set", name)  # ok: setting names only

    log.debug("process environment: %s" % os.environ)  # expect: KL202
    log.debug("environment: {}".format(dict(os.environ)))  # expect: KL202
    log.info("%d environment variables", len(os.environ))  # ok: len()
    log.info("region %s, release %s", os.environ.get("AWS_REGION"), os.getenv("RELEASE"))  # ok: non-secret variables
    print("effective config:", app.config)  # expect: KL202
    print(f"starting billing service with {len(app.config)} settings")  # ok: a count
    if os.getenv("DUMP_ENV"):
        sys.stderr.write(str(os.environ) + "\n")  # expect: KL202

    db.init_app(app)
    migrate.init_app(app, db)
    app.logger.info("stripe configured: %s", bool(app.config.get("STRIPE_SECRET_KEY")))  # ok: bool()
    app.logger.info("extensions: %s", list(app.extensions))  # ok: extension names
    return app
