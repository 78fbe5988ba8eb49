"""Front-end bootstrap endpoints that expose parts of the server configuration."""
import hashlib
import os

from flask import Flask, current_app, jsonify, render_template

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["WEBHOOK_SECRET"] = os.environ["WEBHOOK_SECRET"]
app.config["API_KEY"] = os.environ["API_KEY"]

STRIPE_SECRET_KEY = os.environ["STRIPE_SECRET_KEY"]
STRIPE_PUBLISHABLE_KEY = os.environ["STRIPE_PUBLISHABLE_KEY"]
REGION = os.getenv("REGION", "eu")


@app.route("/api/bootstrap")
def bootstrap():
    return jsonify(stripe_key=STRIPE_SECRET_KEY, region=REGION)  # expect: KL203


@app.route("/api/bootstrap/v2")
def bootstrap_v2():
    return jsonify(stripe_key=STRIPE_PUBLISHABLE_KEY, region=REGION)  # ok: publishable key is public


@app.route("/api/bootstrap/v3")
def bootstrap_v3():
    return jsonify(settings={"stripe": STRIPE_SECRET_KEY, "region": REGION})  # expect: KL203


@app.get("/api/status")
def status():
    return {"stripe_configured": bool(STRIPE_SECRET_KEY), "api_key_configured": app.config.get("API_KEY") is not None}  # ok: bool and comparison


@app.get("/api/billing/hint")
def billing_hint():
    return jsonify(stripe_key_last4=STRIPE_SECRET_KEY[-4:])  # ok: short slice


@app.get("/api/billing/fingerprint")
def billing_fingerprint():
    return jsonify(sha256=hashlib.sha256(STRIPE_SECRET_KEY.encode()).hexdigest())  # ok: hashed


@app.get("/api/billing/length")
def billing_length():
    return jsonify(length=len(STRIPE_SECRET_KEY))  # ok: len() sanitizes


@app.get("/api/session-signing")
def session_signing():
    return {"signing_key": app.config["SECRET_KEY"]}  # expect: KL203


@app.get("/integrations/webhooks")
def webhook_settings():
    return render_template("webhooks.html", webhook_secret=current_app.config["WEBHOOK_SECRET"])  # expect: KL203


@app.get("/integrations/webhooks/v2")
def webhook_settings_v2():
    return render_template("webhooks.html", webhook_configured=bool(current_app.config["WEBHOOK_SECRET"]))  # ok: bool
