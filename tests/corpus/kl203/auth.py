"""Account endpoints: login, API key issuance, password reset, profile."""
import secrets
from datetime import datetime, timedelta, timezone

import jwt
from flask import Blueprint, current_app, jsonify, render_template, request
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt_identity, jwt_required
from flask_login import current_user, login_required
from werkzeug.security import check_password_hash, generate_password_hash

from .models import ApiKey, PasswordReset, User, db

bp = Blueprint("account", __name__, url_prefix="/account")


@bp.post("/login")
def login():  # expect: KL404, KL405
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        return jsonify(error="invalid credentials"), 401  # ok: fixed message
    return jsonify(access_token=create_access_token(identity=user.id), refresh_token=create_refresh_token(identity=user.id))  # ok: issuing fresh tokens is the point of login


@bp.post("/token/refresh")
@jwt_required(refresh=True)
def refresh():  # expect: KL405
    access_token = create_access_token(identity=get_jwt_identity())
    return jsonify(access_token=access_token, token_type="Bearer", expires_in=900)  # ok: fresh token, token type


@bp.post("/service-token")
@login_required
def service_token():  # expect: KL405
    payload = {"sub": current_user.id, "exp": datetime.now(timezone.utc) + timedelta(hours=1)}
    token = jwt.encode(payload, current_app.config["JWT_SECRET"], algorithm="HS256")
    return jsonify(token=token)  # ok: a signed token, not the signing secret


@bp.post("/api-keys")
@login_required
def create_api_key():  # expect: KL405
    new_key = secrets.token_urlsafe(32)
    db.session.add(ApiKey(user_id=current_user.id, key_hash=generate_password_hash(new_key)))
    db.session.commit()
    return jsonify(api_key=new_key), 201  # ok: a freshly issued key shown once to its owner


@bp.get("/profile")
@login_required
def profile():
    return jsonify(id=current_user.id, email=current_user.email, api_key=current_user.api_key)  # ok: the user's own key on their own profile


@bp.get("/reset/<token>")
def reset_form(token):
    reset = PasswordReset.query.filter_by(token=token).first_or_404()
    return render_template("reset_password.html", token=token, email=reset.user.email)  # ok: the reset token from the URL, passed back to the form


@bp.post("/reset/<token>")
def reset_password(token):
    reset = PasswordReset.query.filter_by(token=token).first_or_404()
    reset.user.password_hash = generate_password_hash(request.form["password"])
    db.session.delete(reset)
    db.session.commit()
    return jsonify(status="ok")  # ok: no secret


@bp.get("/jwt-settings")
def jwt_settings():
    return jsonify(algorithm="HS256", secret=current_app.config["JWT_SECRET"])  # expect: KL203
