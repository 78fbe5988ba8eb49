"""Authentication helpers, guards and display-safe forms of credentials."""
import functools
import hashlib
import hmac
import logging

from flask import abort, current_app, g, request
from flask_login import current_user

logger = logging.getLogger("ledgerline.security")


def mask_secret(value, keep=4):
    """Display-safe form of a credential, e.g. 'sk_l…a1b2'."""
    if not value:
        return "<unset>"
    return f"{value[:keep]}…{value[-keep:]}"


def fingerprint(value):
    """Short, stable, irreversible identifier for a credential."""
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def hash_api_key(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def admin_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def service_token_required(view):
    """Guard for job endpoints called by the scheduler."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        token = request.headers.get("X-Service-Token", "")
        if token == current_app.config["INTERNAL_SERVICE_TOKEN"]:  # expect: KL402
            return view(*args, **kwargs)
        logger.debug("service token rejected: %s", token)  # expect: KL201
        logger.debug("auth failure environ=%s", request.environ)  # expect: KL202
        abort(401)

    return wrapped


def partner_key_valid(presented):
    expected = current_app.config["PARTNER_API_KEY"] or ""
    return bool(presented) and hmac.compare_digest(presented.encode(), expected.encode())  # ok: constant-time


def log_auth_failure(reason):
    auth_header = request.headers.get("Authorization", "")
    logger.warning("auth failure: %s (credentials supplied: %s, length %d)", reason, bool(auth_header), len(auth_header))  # ok: bool and len only
    logger.info("auth failure from %s, user agent %s", request.remote_addr, request.headers.get("User-Agent"))  # ok: non-secret header
    logger.debug("request carried headers: %s", sorted(request.headers.keys()))  # ok: header names only


def load_signing_key():
    key = current_app.config.get("RECEIPT_SIGNING_KEY")
    if not key:
        raise RuntimeError("RECEIPT_SIGNING_KEY is not set")  # ok: names the variable, no value
    if len(key) < 32:
        raise RuntimeError(f"RECEIPT_SIGNING_KEY is too short: {key!r}")  # expect: KL206
    g.signing_key_fp = fingerprint(key)
    return key
