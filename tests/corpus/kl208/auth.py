"""Login, logout and the SPA bootstrap that hands the front end what it needs."""
import os
import secrets

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_jwt_extended import create_access_token, create_refresh_token
from flask_login import login_required, login_user, logout_user
from werkzeug.security import check_password_hash

from .extensions import limiter
from .models import User

bp = Blueprint("auth", __name__, url_prefix="/auth")

INTERNAL_API_KEY = os.environ["INTERNAL_API_KEY"]


@bp.get("/login")
def login_form():
    session["next"] = request.args.get("next", url_for("spa.index"))  # ok: a redirect target
    return render_template("auth/login.html")


@bp.post("/login")
@limiter.limit("5 per minute")
def login():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        return jsonify(error="invalid credentials"), 401
    session.clear()
    login_user(user)
    session["user_id"] = user.id  # ok: an identifier
    session["csrf_token"] = secrets.token_hex(16)  # ok: a per-session CSRF nonce belongs in the session
    session["internal_api_key"] = INTERNAL_API_KEY  # expect: KL208
    resp = make_response(jsonify(status="ok"))
    resp.headers["Cache-Control"] = "no-store"
    resp.set_cookie("access_token", create_access_token(identity=user.id), secure=True, httponly=True, samesite="Strict")  # ok: the user's own fresh token, all cookie flags set
    resp.set_cookie("refresh_token", create_refresh_token(identity=user.id))  # expect: KL305
    resp.set_cookie("locale", user.locale or "en", samesite="Lax")  # ok: a preference
    return resp


@bp.get("/spa-bootstrap")
@login_required
def spa_bootstrap():
    session["api"] = {"base_url": current_app.config["INTERNAL_API_URL"], "key": current_app.config["INTERNAL_API_KEY"]}  # expect: KL208
    session["api_base_url"] = current_app.config["INTERNAL_API_URL"]  # ok: a URL without credentials
    return redirect(url_for("spa.index"))


@bp.get("/sso/partner")
@login_required
def partner_sso():
    session["partner_sso_secret"] = current_app.config["PARTNER_SSO_SECRET"]  # expect: KL208
    session["partner_sso_started"] = True  # ok: a flag
    return redirect(url_for("spa.partner"))


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    resp = make_response(redirect(url_for("auth.login_form")))
    resp.delete_cookie("access_token")  # ok: deleting, not storing
    resp.set_cookie("refresh_token", "", expires=0, secure=True, httponly=True, samesite="Strict")  # ok: clears the cookie
    return resp
