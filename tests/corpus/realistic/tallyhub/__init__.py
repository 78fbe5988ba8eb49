"""tallyhub: invoicing for small agencies.

gunicorn runs ``tallyhub:create_app()``; review apps use ``create_preview_app``.
"""
import hashlib
import logging
import os
import sys

import flask
from flask import Flask
from flask_login import LoginManager
from flask_migrate import Migrate

from .config import config_by_name
from .models import User, db

login_manager = LoginManager()
migrate = Migrate()
boot_log = logging.getLogger("tallyhub.boot")


def _configure_logging(app):
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.DEBUG if app.debug else logging.INFO)  # ok: log level follows the app, sets nothing
    app.logger.addHandler(handler)
    app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))  # ok: log level


def _register_blueprints(app):
    from .admin import admin
    from .api import api_bp
    from .auth import bp as auth_bp
    from .notify import bp as notify_bp
    from .payments import bp as billing_bp
    from .webhooks import hooks

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(billing_bp, url_prefix="/billing")
    app.register_blueprint(hooks, url_prefix="/hooks")
    app.register_blueprint(admin, url_prefix="/admin")
    app.register_blueprint(notify_bp)


def create_app(config_name=None):
    config_name = config_name or os.getenv("TALLYHUB_ENV", "production")
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_by_name[config_name])
    app.config.from_pyfile("settings.cfg", silent=True)
    app.secret_key = os.environ.get("SECRET_KEY") or "b8Xk2-rQ7vL0pZ9wTm4Nc6Hy"  # expect: KL101
    _configure_logging(app)

    db.init_app(app)
    migrate.init_app(app, db)
    login_manager.init_app(app)
    _register_blueprints(app)

    stripe_key = app.config.get("STRIPE_SECRET_KEY")
    if not stripe_key:
        boot_log.warning("STRIPE_SECRET_KEY is not set, billing is disabled")  # ok: env-var name
    elif stripe_key.startswith("sk_test_"):  # ok: prefix check
        app.logger.info("stripe in test mode, key %s", stripe_key)  # expect: KL201
    else:
        app.logger.info("stripe in live mode (%d chars)", len(stripe_key))  # ok: len() sanitizes
    boot_log.info("secret key fingerprint %s", hashlib.sha256(app.secret_key.encode()).hexdigest()[:10])  # ok: hashed
    boot_log.info("config=%s db=%s debug=%s", config_name, app.config["SQLALCHEMY_DATABASE_URI"].split("@")[-1], app.debug)  # ok: host part only, debug flag

    @app.context_processor
    def inject_public_keys():
        return {"stripe_pk": app.config["STRIPE_PUBLISHABLE_KEY"], "reset_url": app.config["PASSWORD_RESET_URL"]}  # ok: publishable key and reset URL

    @app.errorhandler(401)
    def unauthorized(err):
        hint = "send your key in the %s header" % app.config["API_KEY_HEADER"]
        return flask.jsonify(error="unauthorized", hint=hint), 401  # ok: header name only

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "billing": bool(stripe_key), "env": config_name}  # ok: bool()

    return app


def create_preview_app():
    """Review apps on Heroku: one per pull request, publicly reachable."""
    app = create_app(os.getenv("TALLYHUB_ENV", "staging"))
    app.config.update(DEBUG=True, TEMPLATES_AUTO_RELOAD=True)  # expect: KL301
    if os.environ.get("PREVIEW_VERBOSE"):
        app.debug = True  # expect: KL301
    app.testing = False  # ok: not debug mode
    return app


def create_worker_app():
    """App the Celery workers push a context from; errors must reach Sentry."""
    app = create_app()
    app.config.update({"DEBUG": True, "PROPAGATE_EXCEPTIONS": True})  # expect: KL301
    return app


def create_cli_app():
    app = create_app()
    app.config.update(TESTING=False, DEBUG=os.environ.get("FLASK_DEBUG") == "1")  # ok: debug from the environment
    return app


@login_manager.user_loader
def load_user(user_id):
    return db.session.get(User, int(user_id))
