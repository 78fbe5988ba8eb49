"""Token caching, credential files and API-key issuance for the integrations."""
import hashlib
import json
import os
import secrets
import stat
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import requests
from flask import Blueprint, current_app, jsonify, request
from flask_login import current_user, login_required

from .models import ApiKey, db

bp = Blueprint("integrations", __name__, url_prefix="/integrations")

TOKEN_CACHE = Path("/var/cache/shop/partner_token.json")
AUDIT_LOG = Path("/var/log/shop/key-audit.log")
TOKEN_URL = "https://auth.partner.example.com/oauth/token"


def fetch_partner_token():
    resp = requests.post(TOKEN_URL, data={"grant_type": "client_credentials"}, auth=(current_app.config["PARTNER_CLIENT_ID"], current_app.config["PARTNER_CLIENT_SECRET"]), timeout=10)
    payload = resp.json()
    TOKEN_CACHE.write_text(json.dumps({"access_token": payload["access_token"], "expires_in": payload["expires_in"]}))  # expect: KL209
    TOKEN_CACHE.with_suffix(".meta").write_text(json.dumps({"fetched_at": datetime.now(timezone.utc).isoformat(), "token_type": payload.get("token_type")}))  # ok: metadata and the token type
    return payload["access_token"]


def google_credentials_file():
    tmp = tempfile.NamedTemporaryFile("w", suffix=".pem", delete=False)
    tmp.write(os.environ["GOOGLE_PRIVATE_KEY"])  # expect: KL209
    tmp.close()
    os.chmod(tmp.name, stat.S_IRUSR)
    return tmp.name


@bp.post("/tokens")
@login_required
def create_token():
    api_key = secrets.token_urlsafe(32)
    record = ApiKey(owner_id=current_user.id, key_digest=hashlib.sha256(api_key.encode()).hexdigest(), key_name=request.form.get("name", "default"))
    db.session.add(record)
    db.session.commit()
    with open(AUDIT_LOG, "a") as fh:
        fh.write(f"{datetime.now(timezone.utc).isoformat()} user={current_user.id} created key {record.key_name}\n")  # ok: the key name
        fh.write(f"{datetime.now(timezone.utc).isoformat()} user={current_user.id} key={api_key}\n")  # expect: KL209
    resp = jsonify(id=record.id, api_key=api_key)
    resp.headers["Cache-Control"] = "no-store"
    return resp, 201


@bp.post("/webhooks/rotate")
@login_required
def rotate_webhook_secret():
    webhook_secret = secrets.token_hex(32)
    current_user.account.webhook_secret_digest = hashlib.sha256(webhook_secret.encode()).hexdigest()
    db.session.commit()
    open(os.path.join(current_app.instance_path, f"webhook-{current_user.account_id}.txt"), "w").write(webhook_secret)  # expect: KL209
    open(os.path.join(current_app.instance_path, f"webhook-{current_user.account_id}.rotated"), "w").write(datetime.now(timezone.utc).isoformat())  # ok: a timestamp
    return jsonify(status="rotated")


@bp.get("/usage")
@login_required
def export_usage():
    path = Path(current_app.instance_path, "exports", f"usage-{current_user.id}.json")
    path.write_text(json.dumps({"user": current_user.id, "calls": ApiKey.usage_for(current_user.id)}))  # ok: usage counts
    return jsonify(file=path.name)
