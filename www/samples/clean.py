"""Sample: the same API without leaks."""
import hmac
import logging
import os

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)

STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
PARTNER_KEY = os.environ["PARTNER_API_KEY"]


@app.before_request
def check_partner_key():
    if not hmac.compare_digest(request.headers.get("X-API-Key", ""), PARTNER_KEY):
        abort(401)


@app.post("/charge")
def charge():
    log.info("charging with key ending %s", STRIPE_SECRET_KEY[-4:])
    return jsonify(status="ok")


@app.get("/debug/config")
def debug_config():
    return jsonify(stripe_configured=bool(STRIPE_SECRET_KEY))


if __name__ == "__main__":
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
