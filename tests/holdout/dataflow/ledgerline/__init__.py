"""Ledgerline: billing and notification service for merchants."""
import logging
import os

from flask import Flask

from .config import config_by_name
from .extensions import cors, db, limiter, login_manager
from .security import mask_secret


def create_app(config_name=None):
    app = Flask(__name__, instance_relative_config=True)
    config_name = config_name or os.environ.get("LEDGERLINE_ENV", "production")
    app.config.from_object(config_by_name[config_name])
    app.config.from_pyfile("ledgerline.cfg", silent=True)

    logging.basicConfig(level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app.logger.info("starting %s in %s mode", app.config["SERVICE_NAME"], config_name)  # ok: no secret
    app.logger.info("%d configuration keys loaded", len(app.config))  # ok: a count
    app.logger.debug("loaded configuration: %s", app.config)  # expect: KL202

    db.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}}, supports_credentials=True)  # ok: explicit origin allow-list

    from .admin import admin_bp
    from .api import api_bp
    from .errors import register_error_handlers
    from .portal import portal_bp, webhooks_bp

    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(portal_bp, url_prefix="/portal")
    app.register_blueprint(webhooks_bp, url_prefix="/hooks")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    register_error_handlers(app)

    stripe_key = app.config.get("STRIPE_SECRET_KEY")
    if not stripe_key:
        app.logger.warning("STRIPE_SECRET_KEY is not set; card payments are disabled")  # ok: names the variable only
    else:
        app.logger.info("Stripe key configured: %s", mask_secret(stripe_key))  # ok: masked

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": app.config["SERVICE_NAME"]}  # ok: non-secret config value

    return app
