"""beacon: status pages and uptime monitoring.

Each surface is its own Flask app behind the same load balancer, which
terminates TLS but does not redirect http to https.
"""
from flask import Flask, jsonify, render_template
from flask_talisman import Talisman
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import add_basic_headers, add_hsts, enable_https, set_hsts, talisman


def create_app():
    app = Flask(__name__, instance_relative_config=True)  # ok: talisman.init_app below
    app.config.from_prefixed_env()
    talisman.init_app(app)

    @app.get("/")
    def index():
        return render_template("index.html")

    return app


def create_api_app():
    app = Flask(__name__)  # ok: enable_https (extensions.py) calls talisman.init_app
    enable_https(app)

    @app.get("/v1/checks")
    def checks():
        return jsonify([])

    return app


def create_console_app():
    app = Flask(__name__)  # ok: add_hsts (extensions.py) registers an HSTS after_request hook
    add_hsts(app)
    return app


def create_reports_app():
    app = Flask(__name__)  # ok: set_hsts registered as an after_request hook
    app.after_request(set_hsts)
    return app


def _secure(app):
    Talisman(app, frame_options="SAMEORIGIN")
    return app


def create_billing_app():
    app = Flask(__name__)  # ok: _secure wraps it in Talisman
    return _secure(app)


def create_docs_app():
    app = Flask(__name__, static_folder="docs")  # expect: KL304
    app.config["PREFERRED_URL_SCHEME"] = "https"  # only changes url_for(_external=True)
    return app


def create_status_app():
    app = Flask(__name__)  # expect: KL304
    app.config["SESSION_COOKIE_SECURE"] = True  # marks the cookie, does not enforce https
    return app


def create_webhooks_app():
    app = Flask(__name__)  # expect: KL304
    app.wsgi_app = ProxyFix(app.wsgi_app, x_proto=1, x_host=1)  # trusts X-Forwarded-Proto, enforces nothing

    @app.post("/hooks/pagerduty")
    def pagerduty():
        return jsonify(received=True)

    return app


def create_widget_app():
    app = Flask(__name__)  # expect: KL304
    add_basic_headers(app)
    return app


def create_preview_app():
    app = Flask(__name__)  # expect: KL304
    Talisman(app, force_https=False, strict_transport_security=False)
    return app
