"""Plain-text service endpoints used by the deployment scripts."""
import os

from flask import Blueprint, Response, current_app, jsonify, make_response, render_template_string

bp = Blueprint("service", __name__, url_prefix="/service")

SERVICE_TOKEN = os.getenv("SERVICE_TOKEN")
SERVICE_TOKEN_HEADER = "X-Service-Token"


@bp.get("/token.txt")
def service_token_txt():
    return make_response(f"token={SERVICE_TOKEN}", 200)  # expect: KL203


@bp.get("/token-header.txt")
def service_token_header_txt():
    return make_response(f"send your token in {SERVICE_TOKEN_HEADER}", 200)  # ok: header name


@bp.get("/webhook.txt")
def webhook_txt():
    return Response(os.getenv("WEBHOOK_SECRET"), mimetype="text/plain")  # expect: KL203


@bp.get("/hello")
def hello():
    return f"Hello! This instance uses key {current_app.config['API_KEY']}"  # expect: KL203


@bp.get("/hello/v2")
def hello_v2():
    return f"Hello! API key configured: {'API_KEY' in current_app.config}"  # ok: a bool, not the key


@bp.get("/key")
def service_key():
    return str(current_app.config.get("API_KEY"))  # expect: KL203


@bp.get("/partner")
def partner_page():
    return render_template_string("<p>Partner password: {{ pw }}</p>", pw=os.environ["PARTNER_PASSWORD"])  # expect: KL203


@bp.get("/ping")
def ping():
    return jsonify(status="ok")  # ok: no secret
