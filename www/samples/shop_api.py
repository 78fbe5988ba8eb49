"""Sample: a payments API with the usual leaks. Every key here is fake."""
import logging
import os

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
log = logging.getLogger(__name__)

STRIPE_SECRET_KEY = "sk_live_9fKq2LmZ8xRt4VbN7cWp3YhD"
PARTNER_KEY = os.environ["PARTNER_API_KEY"]


@app.before_request
def check_partner_key():
    if request.headers.get("X-API-Key") != PARTNER_KEY:
        abort(401)


@app.post("/charge")
def charge():
    log.info(f"charging with key {STRIPE_SECRET_KEY}")
    return jsonify(status="ok")


@app.get("/debug/config")
def debug_config():
    return jsonify(stripe=STRIPE_SECRET_KEY, configured=True)


if __name__ == "__main__":
    app.run(debug=True)
