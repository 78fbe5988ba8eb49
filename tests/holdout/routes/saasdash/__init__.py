"""SaaSDash application factory."""
import json
import logging
import os

from flask import Flask, send_from_directory

from .config import CONFIGS
from .extensions import cors, db, jwt, limiter, login_manager, talisman
from .security import require_service_token


def create_app(env=None):
    env = env or os.environ.get("SAASDASH_ENV", "production")
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(CONFIGS[env])
    app.config.from_file("config.json", load=json.load, silent=True)
    logging.basicConfig(level=app.config["LOG_LEVEL"])

    db.init_app(app)
    jwt.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    cors.init_app(app, resources={r"/api/*": {"origins": app.config["CORS_ORIGINS"]}}, supports_credentials=True)  # ok: explicit origin allow-list from config.py
    talisman.init_app(app, force_https=app.config["TALISMAN_FORCE_HTTPS"], strict_transport_security=True, content_security_policy=None)

    from .admin import admin_bp, internal_bp, ops_bp
    from .api import api_bp, widgets_bp
    from .auth import auth_bp
    from .dashboard import dashboard_bp
    from .integrations import hooks_bp
    from .partner import partner_bp

    internal_bp.before_request(require_service_token)
    limiter.exempt(partner_bp)

    app.register_blueprint(dashboard_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(ops_bp, url_prefix="/admin/ops")
    app.register_blueprint(internal_bp, url_prefix="/internal")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(widgets_bp, url_prefix="/widgets")
    app.register_blueprint(partner_bp, url_prefix="/partner")
    app.register_blueprint(hooks_bp, url_prefix="/hooks")

    @app.get("/healthz")
    def healthz():  # ok: health check
        return {"status": "ok"}

    @app.get("/robots.txt")
    def robots():  # ok: static file
        return send_from_directory(app.static_folder, "robots.txt")

    @app.get("/debug/url-map")
    def url_map():  # expect: KL403
        return {"rules": sorted(str(rule) for rule in app.url_map.iter_rules())}

    @app.errorhandler(404)
    def not_found(exc):
        return {"error": "not found"}, 404

    @app.errorhandler(429)
    def too_many(exc):
        return {"error": "rate limited", "limit": exc.description}, 429  # ok: the limit that was hit, meant for clients

    return app
