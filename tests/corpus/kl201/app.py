"""Payments API: request tracing and startup logging."""
import logging
import os

from flask import Flask, jsonify, request

logging.basicConfig(level=logging.INFO)
log = logging.getLogger(__name__)

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["PAYMENTS_API_KEY"] = os.environ["PAYMENTS_API_KEY"]

STRIPE_API_KEY = os.environ["STRIPE_API_KEY"]
API_KEY_HEADER = "X-API-Key"  # ok: header name, not a KL101 literal
API_KEY_ENV = "STRIPE_API_KEY"  # ok: env-var name, not a KL101 literal

log.info("Stripe configured with key %s", STRIPE_API_KEY)  # expect: KL201
log.info("Stripe key read from $%s", API_KEY_ENV)  # ok: the env-var name, not its value
log.info("Stripe key configured: %s", bool(STRIPE_API_KEY))  # ok: bool() sanitizes
log.info("Stripe key ends with %s", STRIPE_API_KEY[-4:])  # ok: short slice
log.info("Payments key loaded: %s", app.config["PAYMENTS_API_KEY"])  # expect: KL201


@app.before_request
def trace_request():
    app.logger.debug("Authorization: %s", request.headers.get("Authorization"))  # expect: KL201
    app.logger.debug("request id %s", request.headers.get("X-Request-ID"))  # ok: not a credential
    app.logger.debug("expecting the key in header %s", API_KEY_HEADER)  # ok: header name constant
    app.logger.debug("%s %s", request.method, request.path)  # ok: no secret


@app.route("/api/charges", methods=["POST"])
def create_charge():
    api_key = request.headers.get(API_KEY_HEADER)
    if not api_key:
        app.logger.warning("charge request without %s header", API_KEY_HEADER)  # ok: header name
        return jsonify(error="missing API key"), 401
    app.logger.info(f"charge request with key={api_key}")  # expect: KL201
    app.logger.info("charge request with key prefix %s", api_key[:4])  # ok: short slice
    app.logger.info("key length %d", len(api_key))  # ok: len() sanitizes
    app.logger.info("charge request from %s", request.remote_addr)  # ok: client address, not a credential
    amount = request.json.get("amount", 0)
    app.logger.info("charging %s cents", amount)  # ok: no secret
    return jsonify(status="ok")


@app.route("/api/session")
def session_info():
    token = request.cookies.get("token")
    log.info("cookie token %s", token)  # expect: KL201
    log.info("cookie present: %s", token is not None)  # ok: comparison
    log.info("authorization object: %s", request.authorization)  # expect: KL201
    return jsonify(status="ok")
