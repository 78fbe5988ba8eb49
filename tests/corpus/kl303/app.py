"""fulfilment: order routing between the shop and its partners.

``create_app`` also mounts a small proxy for the old partner API, which the
mobile app still calls with its own bearer token.
"""
import requests
from flask import Blueprint, Flask, Response, jsonify, request
from flask_login import LoginManager, login_required

from .clients import stock_levels_private_ca
from .config import Config

proxy_bp = Blueprint("proxy", __name__)


@proxy_bp.get("/legacy/<path:path>")
@login_required
def legacy_proxy(path):
    upstream = requests.get(f"http://legacy-api.partner.example/{path}", headers={"Authorization": request.headers["Authorization"]}, timeout=10)  # expect: KL303
    return Response(upstream.content, status=upstream.status_code, content_type=upstream.headers.get("Content-Type"))


@proxy_bp.get("/v2/<path:path>")
@login_required
def v2_proxy(path):
    upstream = requests.get(f"https://api.partner.example/v2/{path}", headers={"Authorization": request.headers["Authorization"]}, timeout=10)  # ok: https
    return Response(upstream.content, status=upstream.status_code, content_type=upstream.headers.get("Content-Type"))


@proxy_bp.get("/stock")
@login_required
def stock():
    return jsonify(stock_levels_private_ca())


@proxy_bp.get("/docs")
def docs_redirect():
    return jsonify(docs="http://docs.partner.example/api")  # ok: a link in a response, not an outbound call


def create_app():
    app = Flask(__name__)
    app.config.from_object(Config)
    LoginManager(app)
    app.register_blueprint(proxy_bp, url_prefix="/proxy")

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok")

    return app
