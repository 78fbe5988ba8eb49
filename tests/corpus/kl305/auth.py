"""Sign-in for ledgerly's web app and its mobile webview, mounted at /auth."""
import os
import secrets
from datetime import datetime, timezone

from flask import Blueprint, abort, current_app, g, jsonify, make_response, redirect, request, session, url_for
from flask_jwt_extended import create_access_token, create_refresh_token, set_access_cookies, unset_jwt_cookies
from flask_login import login_user, logout_user
from flask_wtf.csrf import generate_csrf
from werkzeug.security import check_password_hash

from .extensions import LEGACY_COOKIE, SECURE_COOKIE
from .models import Device, SessionToken, User

auth_bp = Blueprint("auth", __name__)


def _authenticate():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        abort(401)
    return user


@auth_bp.post("/login")
def login():
    user = _authenticate()
    token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("auth_token", token)  # expect: KL305
    return resp


@auth_bp.post("/login/httponly")
def login_httponly():
    user = _authenticate()
    token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("auth_token", token, httponly=True)  # expect: KL305
    return resp


@auth_bp.post("/login/no-samesite")
def login_no_samesite():
    user = _authenticate()
    token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("auth_token", token, secure=True, httponly=True)  # expect: KL305
    return resp


@auth_bp.post("/login/hardened")
def login_hardened():
    user = _authenticate()
    token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("auth_token", token, secure=True, httponly=True, samesite="Lax")  # ok: all three flags
    return resp


@auth_bp.post("/login/shared-options")
def login_shared_options():
    user = _authenticate()
    token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("auth_token", token, max_age=8 * 3600, **SECURE_COOKIE)  # ok: SECURE_COOKIE (extensions.py) sets all three flags
    return resp


@auth_bp.post("/login/legacy")
def login_legacy():
    user = _authenticate()
    token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("auth_token", token, **LEGACY_COOKIE)  # expect: KL305
    return resp


@auth_bp.post("/login/remember")
def login_remember():
    user = _authenticate()
    remember_token = SessionToken.issue(user, days=30)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("remember_token", remember_token, max_age=30 * 86400, httponly=True, samesite="Lax")  # expect: KL305
    return resp


@auth_bp.post("/login/flask-login")
def login_flask_login():
    user = _authenticate()
    login_user(user, remember=True)  # ok: flask-login's cookie follows REMEMBER_COOKIE_* config, reported there
    return redirect(url_for("ledger.home"))


@auth_bp.post("/mobile/login")
def mobile_login():
    user = _authenticate()
    access_token = create_access_token(identity=str(user.id))
    refresh_token = create_refresh_token(identity=str(user.id))
    resp = jsonify(user_id=user.id)
    resp.set_cookie("access_token", access_token, secure=False, httponly=True, samesite="Lax")  # expect: KL305
    resp.set_cookie("refresh_token", refresh_token, secure=True, samesite="Strict", path="/auth/refresh")  # expect: KL305
    return resp


@auth_bp.post("/mobile/login/jwt-extended")
def mobile_login_jwt_extended():
    user = _authenticate()
    resp = jsonify(user_id=user.id)
    set_access_cookies(resp, create_access_token(identity=str(user.id)))  # ok: flask-jwt-extended cookie flags come from JWT_COOKIE_* config, reported there
    return resp


@auth_bp.post("/sso/callback")
def sso_callback():
    user = User.from_sso(request.form["assertion"])
    session_token = SessionToken.issue(user)
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie(key="session_token", value=session_token, max_age=3600)  # expect: KL305
    return resp


@auth_bp.post("/session/sid")
def new_sid():
    user = _authenticate()
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("sid", secrets.token_urlsafe(32), secure=True, httponly=True)  # expect: KL305
    Device.remember(user, request.user_agent.string)
    return resp


@auth_bp.post("/jwt/login")
def jwt_login():
    user = _authenticate()
    resp = make_response(redirect(url_for("ledger.home")))
    resp.set_cookie("jwt", create_access_token(identity=str(user.id)), secure=True, httponly=True, samesite=None)  # expect: KL305
    return resp


@auth_bp.post("/mfa/trust-device")
def trust_device():
    device_token = Device.issue_trust_token(g.user)
    resp = jsonify(trusted=True)
    resp.set_cookie("mfa_device", device_token, max_age=30 * 86400, secure=True, httponly=True)  # expect: KL305
    return resp


@auth_bp.post("/logout")
def logout():
    logout_user()
    resp = make_response(redirect(url_for("auth.login")))
    resp.set_cookie("auth_token", "", expires=0)  # ok: clears the cookie, no credential in it
    resp.delete_cookie("remember_token")  # ok: deletes the cookie
    unset_jwt_cookies(resp)  # ok: removes cookies
    return resp


@auth_bp.get("/csrf")
def csrf_cookie():
    resp = jsonify(ok=True)
    resp.set_cookie("csrf_token", generate_csrf(), secure=True, samesite="Strict")  # ok: double-submit CSRF cookie, JavaScript must read it; not a credential
    return resp


@auth_bp.post("/partner/bootstrap")
def partner_bootstrap():
    resp = jsonify(ok=True)
    resp.set_cookie("partner_api_key", current_app.config["PARTNER_API_KEY"])  # expect: KL208
    resp.set_cookie("upstream_token", os.environ["UPSTREAM_TOKEN"], secure=True, httponly=True, samesite="Strict")  # expect: KL208
    return resp


@auth_bp.after_request
def slide_session(response):
    if getattr(g, "renewed_token", None):
        response.set_cookie("auth_token", g.renewed_token, httponly=True)  # expect: KL305
    response.set_cookie("last_seen", datetime.now(timezone.utc).isoformat())  # ok: not a credential
    return response
