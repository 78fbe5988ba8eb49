"""OAuth 2.0 provider endpoints, mounted at /oauth. This blueprint's hook only
sets ``Cache-Control: no-cache``, which still lets caches store the response."""
import hmac
import secrets
import time

import jwt
from flask import Blueprint, abort, current_app, jsonify, request
from flask_jwt_extended import create_access_token

from .extensions import db
from .http_utils import no_cache
from .models import Client, DeviceGrant, IssuedToken

oauth_bp = Blueprint("oauth", __name__)
oauth_bp.after_request(no_cache)


def _client():
    client = Client.query.filter_by(client_id=request.form.get("client_id", "")).first()
    if client is None or not hmac.compare_digest(client.secret_sha256, Client.digest(request.form.get("client_secret", ""))):
        abort(401)
    return client


@oauth_bp.post("/token")
def token():  # expect: KL405
    client = _client()
    now = int(time.time())
    access = jwt.encode({"sub": client.client_id, "iat": now, "exp": now + 3600}, current_app.config["JWT_SECRET_KEY"], algorithm="HS256")
    return jsonify(access_token=access, token_type="Bearer", expires_in=3600)


@oauth_bp.post("/device/code")
def device_code():  # expect: KL405
    client = _client()
    device_code = secrets.token_urlsafe(32)
    user_code = DeviceGrant.new_user_code()
    db.session.add(DeviceGrant(client_id=client.client_id, device_code=device_code, user_code=user_code))
    db.session.commit()
    return jsonify(device_code=device_code, user_code=user_code, verification_uri="https://notes.example/activate", interval=5)


@oauth_bp.post("/token/exchange")
def token_exchange():  # expect: KL405
    client = _client()
    subject = IssuedToken.lookup(request.form.get("subject_token", ""))
    if subject is None or not subject.active:
        abort(400)
    access_token = create_access_token(identity=subject.user_id, additional_claims={"act": client.client_id})
    return jsonify(access_token=access_token, issued_token_type="urn:ietf:params:oauth:token-type:access_token")


@oauth_bp.post("/introspect")
def introspect():  # ok: reports on a token, issues none
    _client()
    issued = IssuedToken.lookup(request.form.get("token", ""))
    return jsonify(active=issued is not None and issued.active, scope=issued.scope if issued else None)


@oauth_bp.post("/revoke")
def revoke():  # ok: issues nothing
    _client()
    IssuedToken.revoke(request.form.get("token", ""))
    return jsonify(revoked=True)
