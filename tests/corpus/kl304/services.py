"""Small internal-facing services, one factory each."""
import os

from flask import Flask, jsonify, redirect, request
from flask_sslify import SSLify
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import HSTS, add_basic_headers


def create_metrics_app():
    app = Flask("metrics")  # expect: KL304

    @app.get("/metrics")
    def metrics():
        return "up 1\n", 200, {"Content-Type": "text/plain"}

    return app


def create_uptime_app():
    app = Flask("uptime")  # ok: Talisman
    Talisman(app)
    return app


def create_incidents_app():
    app = Flask("incidents")  # expect: KL304

    @app.after_request
    def hsts_off(response):
        response.headers["Strict-Transport-Security"] = "max-age=0"  # max-age=0 tells browsers to forget HSTS
        return response

    return app


def create_subscribers_app():
    app = Flask("subscribers")  # ok: Talisman still sends HSTS with force_https=False
    Talisman(app, force_https=False)
    return app


def create_rss_app():
    app = Flask("rss")  # ok: Talisman still redirects to https without HSTS
    Talisman(app, strict_transport_security=False)
    return app


def create_sms_app():
    app = Flask("sms")  # ok: flask-sslify redirects to https and sends HSTS
    SSLify(app)
    return app


def create_signup_app():
    app = Flask("signup")  # ok: before_request redirects plain http to https

    @app.before_request
    def force_https():
        if not request.is_secure:
            return redirect(request.url.replace("http://", "https://", 1), code=301)
        return None

    return app


def create_canonical_app():
    app = Flask("canonical")  # expect: KL304

    @app.before_request
    def canonical_host():
        if request.host == "beacon.example":
            return redirect(request.url.replace("//beacon.example", "//www.beacon.example", 1), code=301)  # keeps the scheme
        return None

    return app


def create_embed_app():
    app = Flask("embed")  # expect: KL304

    @app.after_request
    def csp(response):
        response.headers["Content-Security-Policy"] = "frame-ancestors *"
        return response

    return app


def create_maps_app():
    app = Flask("maps")  # ok: Talisman without a CSP still enforces https
    Talisman(app, content_security_policy=None)
    return app


def create_pager_app():
    app = Flask("pager")  # ok: Talisman sends HSTS whatever FORCE_HTTPS says
    Talisman(app, force_https=os.environ.get("FORCE_HTTPS", "1") == "1")
    return app


def create_badges_app():
    app = Flask("badges")  # expect: KL304
    app.config.update(PREFERRED_URL_SCHEME="https", SESSION_COOKIE_SECURE=True)
    return app


def create_timeline_app():
    app = Flask("timeline")  # ok: Talisman with HSTS preload
    Talisman(app, force_https_permanent=True, strict_transport_security_preload=True, strict_transport_security_max_age=63072000)
    return app


def create_search_app():
    app = Flask("search")  # expect: KL304
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1)
    return app


def create_thumbnails_app():
    app = Flask("thumbnails")  # expect: KL304
    add_basic_headers(app)
    return app


def create_feedback_app():
    app = Flask("feedback")  # ok: HSTS via setdefault

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    @app.post("/feedback")
    def feedback():
        return jsonify(thanks=True)

    return app
