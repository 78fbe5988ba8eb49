"""clubhouse: memberships, court bookings and billing for sports clubs.

gunicorn runs ``clubhouse.app:create_app()``. Blueprint prefixes are set here,
at registration, and win over the ones given in ``Blueprint(...)``.
"""
import os
import platform
import time
import uuid

from flask import Flask, g, jsonify, render_template

from .admin.views import admin_bp, dashboard_bp
from .api import api_bp
from .extensions import cache, csrf, db, limiter, login_manager
from .models import Club
from .ops import manage_bp, ops_bp


def flush_cache():  # expect: KL403
    cache.clear()
    return jsonify(flushed=True)


def create_app(config_object="clubhouse.config.ProductionConfig"):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config_object)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["STARTED_AT"] = time.monotonic()

    db.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    csrf.init_app(app)

    app.register_blueprint(admin_bp, url_prefix="/admin")
    app.register_blueprint(dashboard_bp, url_prefix="/dashboard")
    app.register_blueprint(ops_bp, url_prefix="/internal")
    app.register_blueprint(manage_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")

    app.add_url_rule("/internal/flush-cache", view_func=flush_cache, methods=["POST"])

    @app.before_request
    def tag_request():
        g.request_id = uuid.uuid4().hex  # ok: a request id; this app-wide hook checks nothing, so it guards nothing

    @app.get("/healthz")
    def healthz():  # ok: health check, no admin-like segment
        return {"status": "ok"}

    @app.get("/")
    def index():  # ok: public landing page
        return render_template("index.html", clubs=Club.query.limit(12).all())

    @app.get("/sports/badminton")
    def badminton():  # ok: "admin" is only a substring of the segment "badminton"
        return render_template("sport.html", sport="badminton")

    @app.get("/help/keyboard-shortcuts")
    def keyboard_shortcuts():  # ok: the segment's words are "keyboard" and "shortcuts", not "keys"
        return render_template("help/shortcuts.html")

    @app.get("/debug/routes")
    def list_routes():  # expect: KL403
        return jsonify(sorted(str(rule) for rule in app.url_map.iter_rules()))

    @app.get("/config")
    def show_config():  # expect: KL403
        return jsonify(version=os.environ.get("GIT_SHA", "dev"), python=platform.python_version(), features=app.config.get("FEATURE_FLAGS", []))

    @app.get("/env")
    def show_env():  # expect: KL403
        return jsonify(region=os.environ.get("AWS_REGION"), instance=os.environ.get("HOSTNAME"))

    return app
