"""Proxy endpoints that forward requests to an upstream partner API."""
import os
import uuid

import requests
from flask import Blueprint, abort, current_app, jsonify, make_response, request

from .settings import settings

bp = Blueprint("proxy", __name__, url_prefix="/proxy")

UPSTREAM_URL = "https://partner.example/api"
UPSTREAM_TOKEN = os.environ["UPSTREAM_TOKEN"]
API_KEY = os.environ["PROXY_API_KEY"]
API_KEY_HEADER = "X-API-Key"


@bp.get("/orders")
def orders():
    upstream = requests.get(f"{UPSTREAM_URL}/orders", headers={"Authorization": f"Bearer {UPSTREAM_TOKEN}"}, timeout=10)
    resp = make_response(upstream.content, upstream.status_code)
    resp.headers["Content-Type"] = "application/json"  # ok: not a secret
    resp.headers["Cache-Control"] = "no-store"  # ok: not a secret
    resp.headers["X-Request-ID"] = str(uuid.uuid4())  # ok: a request id is not a credential
    resp.headers["X-Upstream-Token"] = UPSTREAM_TOKEN  # expect: KL203
    return resp


@bp.get("/invoices")
def invoices():
    upstream = requests.get(f"{UPSTREAM_URL}/invoices", headers={"Authorization": f"Bearer {UPSTREAM_TOKEN}"}, timeout=10)
    response = make_response(upstream.content, upstream.status_code)
    response.headers["Authorization"] = f"Bearer {UPSTREAM_TOKEN}"  # expect: KL203
    response.headers["X-Api-Key-Header"] = API_KEY_HEADER  # ok: header name
    return response


@bp.get("/customers")
def customers():
    supplied = request.headers.get(API_KEY_HEADER)
    if supplied is None:
        abort(401, description="Missing or invalid API key")  # ok: fixed message
    if len(supplied) < 20:
        abort(401, description=f"Invalid key, expected one like {API_KEY}")  # expect: KL203
    return jsonify(customers=[])


@bp.get("/settings")
def proxy_settings():
    return jsonify(upstream=UPSTREAM_URL, token=settings.API_TOKEN)  # expect: KL203


@bp.get("/settings/v2")
def proxy_settings_v2():
    return jsonify(upstream=UPSTREAM_URL, token_configured=bool(settings.API_TOKEN))  # ok: bool


@bp.get("/settings/v3")
def proxy_settings_v3():
    return {"upstream": UPSTREAM_URL, "token": current_app.config["UPSTREAM_TOKEN"]}, 200  # expect: KL203
