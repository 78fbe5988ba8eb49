"""Main Flask application for the storefront."""
import os

import redis
from flask import Flask, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.secret_key = "dev-key"  # expect: KL101
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]  # ok: env read
app.config["ADMIN_PASSWORD"] = "Tr0ub4dor&3x!q"  # expect: KL101
app.config["API_KEY_HEADER"] = "X-API-Key"  # ok: header name
app.config["TOKEN_TYPE"] = "Bearer"  # ok: token type
app.config["PASSWORD_MIN_LENGTH"] = 12  # ok: number

cache = redis.Redis(host="cache.internal", port=6379, password="r3d1s-P4ss-8812xQ")  # expect: KL101
db = SQLAlchemy(app)

OAUTH_PROVIDERS = {
    "acme": {
        "client_id": "acme-storefront",  # ok: client ids are not secret
        "client_secret": "67813c8b9dcfec8fa7759445bec0c4f883611e72bd371943",  # expect: KL101
        "token_url": "https://auth.acme.example/oauth/token",  # ok: endpoint URL
    },
    "globex": {
        "client_id": "globex-storefront",  # ok: client ids are not secret
        "client_secret": "",  # ok: empty, filled in at deploy time
        "token_url": "https://login.globex.example/token",  # ok: endpoint URL
    },
}

ERROR_INVALID_KEY = "Invalid API key provided"  # ok: a sentence
PASSWORD_FIELD = "password"  # ok: identifier-like field name
sort_key = "created_at"  # ok: not a credential
primary_key = "order_id"  # ok: not a credential
password_reset_url = "/reset"  # ok: URL path


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    api_key = db.Column(db.String(64), unique=True)  # ok: column definition, no literal
    password_hash = db.Column(db.String(255))


@app.route("/health")
def health():
    return jsonify(status="ok")


@app.route("/api/orders")
def list_orders():
    api_key = request.headers.get(app.config["API_KEY_HEADER"])  # ok: no literal
    if not api_key:
        return jsonify(error=ERROR_INVALID_KEY), 401
    user = User.query.filter_by(api_key=api_key).first_or_404()
    return jsonify(user=user.username, orders=[])
