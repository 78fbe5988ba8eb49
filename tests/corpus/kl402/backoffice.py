"""Back-office logins and a cookie-protected home page."""
import os

from flask import Blueprint, current_app, jsonify, redirect, request, session, url_for
from werkzeug.security import check_password_hash, generate_password_hash

from .models import User

bp = Blueprint("backoffice", __name__, url_prefix="/backoffice")

ADMIN_PASSWORD = os.environ.get("ADMIN_PASSWORD")
LEGACY_ADMIN_PASSWORD = "Xk3#pL9v!Qm2rT7w"  # expect: KL101


@bp.post("/login")
def login():  # expect: KL404
    if request.form["password"] == ADMIN_PASSWORD:  # expect: KL402
        session["is_admin"] = True
        return redirect(url_for("backoffice.home"))
    return jsonify(error="invalid password"), 401


@bp.post("/login/legacy")
def legacy_login():  # expect: KL404
    password = request.form.get("password", "")
    if password == LEGACY_ADMIN_PASSWORD:  # expect: KL402
        session["is_admin"] = True
        return redirect(url_for("backoffice.home"))
    return jsonify(error="invalid password"), 401


@bp.post("/login/partner")
def partner_login():
    if request.headers.get("X-API-Key") == "sk_live_Qz4mT8wLp2XvR7nK1cYd9HsB":  # expect: KL101, KL402
        session["partner"] = True
        return redirect(url_for("backoffice.home"))
    return jsonify(error="invalid key"), 401


@bp.post("/login/user")
def user_login():  # expect: KL404
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):  # ok: hash check
        return jsonify(error="invalid credentials"), 401
    if request.form.get("remember") == "on":  # ok: checkbox, not a credential
        session.permanent = True
    session["user_id"] = user.id
    return redirect(url_for("backoffice.home"))


@bp.post("/register")
def register():
    if len(request.form["password"]) < 12:  # ok: length check
        return jsonify(error="password too short"), 400
    if request.form["password"] != request.form["password_confirm"]:  # ok: both values come from the same request; no stored secret
        return jsonify(error="passwords do not match"), 400
    user = User(email=request.form["email"], password_hash=generate_password_hash(request.form["password"]))
    return jsonify(id=user.id), 201


@bp.get("/")
def home():
    if session.get("is_admin") is True:  # ok: session flag
        return jsonify(page="home", admin=True)
    if request.cookies.get("admin_token") != current_app.config["ADMIN_COOKIE_TOKEN"]:  # expect: KL402
        return redirect(url_for("backoffice.login"))
    return jsonify(page="home")
