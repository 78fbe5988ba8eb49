"""API-key protected endpoints for the partner integration."""
import functools
import hmac
import os

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["API_KEY"] = os.environ["API_KEY"]
app.config["LEGACY_API_KEY"] = os.environ.get("LEGACY_API_KEY")

PARTNER_API_KEY = os.environ["PARTNER_API_KEY"]
API_KEY_HEADER = "X-API-Key"
API_VERSION = "2024-05"


def require_api_key(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if request.headers.get("X-API-Key") != PARTNER_API_KEY:  # expect: KL402
            abort(401)
        return view(*args, **kwargs)

    return wrapped


def require_api_key_safe(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        supplied = request.headers.get(API_KEY_HEADER, "")
        if not hmac.compare_digest(supplied.encode(), PARTNER_API_KEY.encode()):  # ok: constant-time comparison
            abort(401)
        return view(*args, **kwargs)

    return wrapped


@app.before_request
def check_version():
    if request.headers.get("X-API-Version", API_VERSION) != API_VERSION:  # ok: version header, not a credential
        abort(400)
    if request.headers.get("Content-Type") not in (None, "application/json"):  # ok: not a credential
        abort(415)


@app.get("/partner/orders")
@require_api_key
def partner_orders():
    return jsonify(orders=[])


@app.get("/partner/shipments")
@require_api_key_safe
def partner_shipments():
    return jsonify(shipments=[])
