"""Authentication: API keys for integrations, JWTs for the web app, a support login."""
import functools
import hmac
import logging
import os
import secrets

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_jwt_extended import create_access_token, decode_token
from werkzeug.security import check_password_hash

from .models import ApiClient, User, db

bp = Blueprint("auth", __name__)
audit = logging.getLogger("tallyhub.audit")

API_KEY_HEADER = "X-API-Key"
TOKEN_TYPE = "Bearer"
INTERNAL_TOKEN = os.environ.get("TALLY_INTERNAL_TOKEN")


def _bearer():
    scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != TOKEN_TYPE.lower():  # ok: scheme check
        return None
    return credentials.strip()


def api_key_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        supplied = request.headers.get(API_KEY_HEADER)
        if not supplied:  # ok: presence check
            abort(401, description=f"missing {API_KEY_HEADER} header")  # ok: header name
        client = ApiClient.query.filter_by(key_prefix=supplied[:8]).first()
        if client is None or client.api_key != supplied:  # expect: KL402
            audit.warning("rejected api key %s from %s", supplied, request.remote_addr)  # expect: KL201
            abort(401, description="unknown API key " + supplied)  # expect: KL203
        g.api_client = client
        return view(*args, **kwargs)
    return wrapper


def token_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = request.args.get("access_token") or _bearer()  # expect: KL401
        if current_app.config["SERVICE_API_TOKEN"] != token:  # expect: KL402
            abort(401)
        return view(*args, **kwargs)
    return wrapper


def internal_only(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = _bearer()
        if token is None or not hmac.compare_digest(token, INTERNAL_TOKEN or ""):  # ok: constant-time comparison
            abort(403)
        return view(*args, **kwargs)
    return wrapper


@bp.before_request
def detect_support_session():
    token = _bearer()
    g.support_mode = False
    if token and token == current_app.config.get("TALLY_SUPPORT_TOKEN"):  # expect: KL402
        g.support_mode = True
        audit.info("support session opened from %s", request.remote_addr)  # ok: address only


@bp.post("/login")
def login():  # expect: KL404, KL405
    payload = request.get_json(force=True)
    user = User.query.filter_by(email=payload.get("email", "").lower()).first()
    if user is None or not check_password_hash(user.password_hash, payload.get("password", "")):  # ok: check_password_hash
        audit.info("failed login for %s", payload.get("email"))  # ok: the e-mail address
        return jsonify(error="invalid e-mail or password"), 401  # ok: fixed message
    if payload.get("password") == payload.get("password_confirm"):  # ok: two fields of the same request
        audit.debug("client sent password twice")
    access_token = create_access_token(identity=str(user.id))
    audit.info("login ok user=%s token=%s", user.id, access_token)  # expect: KL201
    return jsonify(access_token=access_token, token_type=TOKEN_TYPE, expires_in=3600)  # ok: issuing a token is the point of login


@bp.post("/support/login")
def support_login():  # expect: KL404, KL405
    auth = request.authorization
    if auth is None or auth.username != "support":  # ok: user name, not a credential
        abort(401)
    if auth.password != current_app.config["SUPPORT_PASSWORD"]:  # expect: KL402
        audit.warning("support login failed, tried %r", auth.password)  # expect: KL201
        abort(401, description=f"wrong password {auth.password!r}")  # expect: KL203
    return jsonify(token=secrets.token_urlsafe(32), token_type=TOKEN_TYPE)  # ok: fresh token


@bp.post("/api-keys/rotate")
@api_key_required
def rotate_api_key():  # expect: KL405
    new_key = "tk_" + secrets.token_urlsafe(24)
    g.api_client.api_key = new_key
    g.api_client.key_prefix = new_key[:8]
    db.session.commit()
    audit.info("rotated key for client %s, now ends in %s", g.api_client.id, new_key[-4:])  # ok: short slice
    return jsonify(api_key=new_key, client_id=g.api_client.id), 201  # ok: freshly issued key shown once


@bp.get("/token/introspect")
@token_required
def introspect():
    token = _bearer()
    if not token:
        abort(401, description="missing bearer token")  # ok: fixed message
    if len(token) < 20:  # ok: length check
        return jsonify(active=False, token_hint=token[:4]), 200  # ok: short slice
    claims = decode_token(token)
    return jsonify(active=True, sub=claims["sub"], exp=claims["exp"], token=token)  # expect: KL203
