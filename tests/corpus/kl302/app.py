"""widgets: backend for the widgets SPA, plus the legacy v1 API, the
embeddable widget and the partner dashboard, each its own Flask app.

``create_app`` is the main SPA backend; ``CORS(app, ...)`` there reads
CORS_ORIGINS from ``Config``.
"""
import os

from flask import Flask, jsonify, request
from flask_cors import CORS

from .api import account_bp, billing_bp, orders_bp, public_bp, reports_bp, search_bp
from .config import Config, LegacyConfig, PartnerConfig
from .extensions import EMBED_CORS_OPTIONS, STRICT_CORS_OPTIONS, cors, db, login_manager
from .views import legacy_bp, views_bp


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    db.init_app(app)
    login_manager.init_app(app)
    CORS(app, supports_credentials=True)  # ok: origins come from Config.CORS_ORIGINS, an allow-list
    for bp in (account_bp, billing_bp, orders_bp, public_bp, reports_bp, search_bp, views_bp):
        app.register_blueprint(bp, url_prefix="/api")
    return app


def create_legacy_app():
    app = Flask(__name__)
    app.config.from_object(LegacyConfig)
    db.init_app(app)
    CORS(app)  # expect: KL302
    app.register_blueprint(legacy_bp, url_prefix="/v1")
    return app


def create_widget_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["WIDGET_SECRET_KEY"]
    cors.init_app(app, resources={r"/embed/*": {"origins": "*"}}, supports_credentials=True)  # expect: KL302

    @app.get("/embed/widget/<int:widget_id>")
    def widget(widget_id):
        return jsonify(id=widget_id)

    return app


def create_partner_app():
    app = Flask(__name__)
    app.config.from_object(PartnerConfig)
    CORS(app)  # expect: KL302

    @app.get("/partner/summary")
    def partner_summary():
        return jsonify(ok=True)

    return app


def create_embed_app():
    app = Flask(__name__)
    CORS(app, **EMBED_CORS_OPTIONS)  # expect: KL302
    return app


def create_strict_embed_app():
    app = Flask(__name__)
    CORS(app, **STRICT_CORS_OPTIONS)  # ok: STRICT_CORS_OPTIONS (extensions.py) names one origin
    return app


def create_preview_app():
    app = Flask(__name__)
    CORS(app, origins=r".*", supports_credentials=True)  # expect: KL302
    return app


def create_docs_app():
    app = Flask(__name__, static_folder="docs")
    CORS(app)  # ok: default origins, but no credentials: public docs
    return app


def create_status_app():
    app = Flask(__name__)
    CORS(app, origins="*", supports_credentials=False)  # ok: wildcard without credentials
    return app


def create_tenant_app():
    app = Flask(__name__)
    CORS(app, origins=os.environ["TENANT_ORIGINS"].split(","), supports_credentials=True)  # ok: an allow-list from the deployment's environment
    return app


def create_sandbox_app():
    app = Flask(__name__)
    CORS(app, resources={r"/api/*": {"origins": "https://sandbox.widgets.example"}}, supports_credentials=True)  # ok: one fixed origin
    return app


def create_subdomain_app():
    app = Flask(__name__)
    CORS(app, origins=[r"^https://[a-z0-9-]+\.widgets\.example$"], supports_credentials=True)  # ok: anchored pattern, our subdomains only
    return app


def create_reflecting_app():
    app = Flask(__name__)

    @app.after_request
    def add_cors(response):
        response.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # expect: KL302
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
        return response

    return app


def create_allowlist_app():
    app = Flask(__name__)

    @app.after_request
    def add_cors(response):
        origin = request.headers.get("Origin")
        if origin in {"https://app.widgets.example", "https://admin.widgets.example"}:
            response.headers["Access-Control-Allow-Origin"] = origin  # ok: reflected only after an allow-list check
            response.headers["Access-Control-Allow-Credentials"] = "true"
            response.headers["Vary"] = "Origin"
        return response

    return app
