"""Operations endpoints registered by the app factory."""
import os
import platform

from flask import Flask, Response, current_app, jsonify

from .auth import admin_required
from .extensions import db

PUBLIC_CONFIG_KEYS = ("SERVER_NAME", "PREFERRED_URL_SCHEME", "MAX_CONTENT_LENGTH", "BABEL_DEFAULT_LOCALE")


@admin_required
def settings_view():
    return jsonify(settings=dict(current_app.config))  # expect: KL204


def create_app():
    app = Flask(__name__)
    app.config.from_object("shop.config.ProductionConfig")
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["STRIPE_SECRET_KEY"] = os.environ["STRIPE_SECRET_KEY"]
    db.init_app(app)

    @app.get("/internal/config")
    @admin_required
    def show_config():
        return jsonify({name: str(value) for name, value in app.config.items()})  # expect: KL204

    @app.get("/internal/config.txt")
    @admin_required
    def show_config_text():
        return Response(repr(app.config), mimetype="text/plain")  # expect: KL204

    @app.get("/internal/config/names")
    @admin_required
    def show_config_names():
        return jsonify(sorted(app.config))  # ok: setting names only

    @app.get("/debug/env")
    def debug_env():  # expect: KL403
        return jsonify(dict(os.environ))  # expect: KL204

    @app.get("/internal/env")
    @admin_required
    def show_env():
        return {"environment": {k: v for k, v in os.environ.items()}}  # expect: KL204

    @app.get("/internal/globals")
    @admin_required
    def show_globals():
        return Response(repr(globals()), mimetype="text/plain")  # expect: KL204

    @app.get("/internal/stripe")
    @admin_required
    def stripe_status():
        return jsonify(stripe_configured=bool(app.config.get("STRIPE_SECRET_KEY")))  # ok: bool()

    @app.get("/api/bootstrap")
    def bootstrap():
        return jsonify({name: app.config.get(name) for name in PUBLIC_CONFIG_KEYS})  # ok: allow-listed settings

    @app.get("/api/version")
    def version():
        return jsonify(version=os.environ.get("APP_VERSION", "dev"), commit=os.getenv("GIT_SHA"), python=platform.python_version())  # ok: non-secret variables

    @app.get("/api/status")
    def status():
        return jsonify(testing=app.testing, env_vars=len(os.environ), settings=len(app.config))  # ok: flags and counts

    app.add_url_rule("/internal/settings", view_func=settings_view)
    return app
