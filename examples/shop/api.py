import os

from flask import Blueprint, abort, current_app, jsonify, request

from .payments import client

api = Blueprint("api", __name__, url_prefix="/api")

PARTNER_KEY = os.environ["PARTNER_API_KEY"]


@api.before_request
def check_partner_key():
    if request.headers.get("X-API-Key") != PARTNER_KEY:
        abort(401)


@api.post("/charge")
def charge():
    body = request.get_json() or {}
    result = client().charge(body["amount"], body["token"])
    return jsonify(result)


@api.get("/debug/settings")
def debug_settings():
    return jsonify(
        stripe=current_app.config["STRIPE_SECRET_KEY"],
        publishable=current_app.config["STRIPE_PUBLISHABLE_KEY"],
    )


@api.get("/whoami")
def whoami():
    auth = request.headers.get("Authorization", "")
    print("whoami called with", auth)
    return {"authorization": auth, "partner": True}


@api.get("/status")
def status():
    return jsonify(stripe_configured=bool(current_app.config.get("STRIPE_SECRET_KEY")))
