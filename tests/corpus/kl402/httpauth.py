"""Flask-HTTPAuth callbacks for the reports export and metrics scraping."""
import hmac
import os

from flask import Flask, current_app, jsonify
from flask_httpauth import HTTPBasicAuth, HTTPTokenAuth
from werkzeug.security import check_password_hash

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["METRICS_TOKEN"] = os.environ["METRICS_TOKEN"]
app.config["EXPORT_TOKEN"] = os.environ["EXPORT_TOKEN"]

USERS = {"alice": os.environ["ALICE_PASSWORD_HASH"]}
basic = HTTPBasicAuth()
token_auth = HTTPTokenAuth(scheme="Bearer")
export_auth = HTTPTokenAuth(scheme="Token")


@basic.verify_password
def verify_password(username, password):
    if username in USERS and check_password_hash(USERS[username], password):  # ok: hash check
        return username
    return None


@token_auth.verify_token
def verify_token(token):
    if token == current_app.config["METRICS_TOKEN"]:  # expect: KL402
        return "metrics"
    return None


@export_auth.verify_token
def verify_export_token(token):
    if hmac.compare_digest(token or "", current_app.config["EXPORT_TOKEN"]):  # ok: constant-time comparison
        return "export"
    return None


@app.get("/reports/export")
@basic.login_required
def export():
    if basic.current_user() == "alice":  # ok: user name
        return jsonify(rows=[], owner=True)
    return jsonify(rows=[])


@app.get("/metrics/scrape")
@token_auth.login_required
def scrape():
    return jsonify(requests_total=0)
