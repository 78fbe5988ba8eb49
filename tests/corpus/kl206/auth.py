"""Token verification helpers and the API-key protected endpoints."""
import jwt
from flask import Blueprint, current_app, g, jsonify, request
from werkzeug.exceptions import Unauthorized

from .models import ApiKey

bp = Blueprint("api", __name__, url_prefix="/api")


class AuthError(Exception):
    pass


def decode_token(token):
    try:
        return jwt.decode(token, current_app.config["JWT_SECRET_KEY"], algorithms=["HS256"])
    except jwt.ExpiredSignatureError:
        raise AuthError(f"token expired: {token}")  # expect: KL206
    except jwt.InvalidTokenError as exc:
        raise AuthError(f"invalid token ({exc.__class__.__name__})") from exc  # ok: the error class, not the token


def bearer_token():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        raise AuthError(f"unsupported authorization scheme {scheme!r}")  # ok: the scheme only
    if not token:
        raise AuthError("empty bearer token")  # ok: fixed message
    return token


def bearer_token_strict():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise AuthError("malformed Authorization header: " + header)  # expect: KL206
    return header.removeprefix("Bearer ")


def basic_credentials():
    auth = request.authorization
    if auth is None or not auth.password:
        raise AuthError(f"basic auth required (user {auth.username if auth else None!r})")  # ok: the user name only
    if ":" in auth.username:
        raise AuthError(f"malformed basic credentials {auth!r}")  # expect: KL206
    return auth.username, auth.password


def require_active(token):
    if ApiKey.is_revoked(token):
        raise AuthError(token)  # expect: KL206
    if ApiKey.is_expired(token):
        raise AuthError("API key expired")  # ok: fixed message
    return token


def signing_key():
    return current_app.config["WEBHOOK_SIGNING_KEY"]


def require_signing_key():
    key = signing_key()
    if len(key) < 32:
        raise RuntimeError("webhook signing key %s is too short" % signing_key())  # expect: KL206
    return key


@bp.get("/reports")
def reports():
    api_key = request.headers.get("X-API-Key")
    if not api_key:
        raise Unauthorized(description="send your API key in the X-API-Key header")  # ok: fixed message
    owner = ApiKey.lookup(api_key)
    if owner is None:
        raise Unauthorized(description=f"unknown API key {api_key}")  # expect: KL206|KL203
    g.owner = owner
    return jsonify(reports=[])


@bp.get("/profile")
def profile():
    claims = decode_token(require_active(bearer_token()))
    user_id = claims.get("sub")
    if not isinstance(user_id, int):
        raise ValueError(f"unexpected subject type for user {user_id!r}")  # ok: a user id
    return jsonify(id=user_id)
