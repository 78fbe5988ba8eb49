"""Sign-in, sign-out, remember-me and the CLI device login (mounted at /auth)."""
import hmac
import secrets

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_jwt_extended import create_access_token, create_refresh_token
from flask_login import current_user, login_required, login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db, limiter
from .integrations import send_mail
from .models import OAuthClient, User
from .security import digest, no_store

auth_bp = Blueprint("auth", __name__)
auth_bp.after_request(no_store)


def _reset_serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


@auth_bp.get("/login")
def login_page():
    return render_template("auth/login.html")


@auth_bp.post("/login")
def login():  # ok: the app-wide default limit (extensions.py) applies; no-store comes from the blueprint's after_request
    data = request.get_json(silent=True) or request.form
    user = User.query.filter_by(email=data.get("email", "").strip().lower()).first()
    if user is None or not check_password_hash(user.password_hash, data.get("password", "")):
        return jsonify(error="invalid email or password"), 401
    login_user(user, remember=bool(data.get("remember")))
    access_token = create_access_token(identity=str(user.id))
    refresh_token = create_refresh_token(identity=str(user.id))
    resp = jsonify(user=user.id, access_token=access_token)
    resp.set_cookie("access_token", access_token)  # expect: KL305
    resp.set_cookie("refresh_token", refresh_token, httponly=True, max_age=14 * 24 * 3600)  # expect: KL305
    resp.set_cookie("last_login_email", user.email, max_age=30 * 24 * 3600, samesite="Lax")  # ok: not a credential
    return resp


@auth_bp.post("/remember")
@login_required
def remember_device():
    remember_token = secrets.token_urlsafe(32)
    current_user.remember_digest = digest(remember_token)
    db.session.commit()
    resp = jsonify(remembered=True)
    resp.set_cookie("remember_token", remember_token, max_age=30 * 24 * 3600, secure=True, httponly=True)  # expect: KL305
    return resp


@auth_bp.post("/session")
@login_required
def spa_session():
    session_token = create_access_token(identity=str(current_user.id), additional_claims={"aud": "spa"})
    resp = jsonify(ok=True)
    resp.set_cookie("session_token", session_token, secure=True, httponly=True, samesite="Lax")  # ok: all three flags set
    return resp


@auth_bp.post("/logout")
def logout():
    logout_user()
    resp = jsonify(ok=True)
    resp.set_cookie("access_token", "", expires=0, secure=True, httponly=True, samesite="Lax")  # ok: clears the cookie
    resp.delete_cookie("refresh_token")  # ok: deletion
    resp.delete_cookie("remember_token")
    return resp


@auth_bp.post("/password/forgot")
@limiter.limit("5 per hour")
def forgot_password():
    email = request.form.get("email", "").strip().lower()
    user = User.query.filter_by(email=email).first()
    if user is not None:
        token = _reset_serializer().dumps(user.id)
        send_mail(user.email, "Reset your SaaSDash password", render_template("email/reset.txt", link=url_for("auth.reset_password", token=token, _external=True)))  # ok: reset link sent by email, by design
    return jsonify(sent=True)


@auth_bp.post("/password/reset/<token>")
@limiter.limit("10 per hour")
def reset_password(token):  # ok: route limit
    try:
        user_id = _reset_serializer().loads(token, max_age=3600)
    except (SignatureExpired, BadSignature):
        abort(400)
    user = db.get_or_404(User, user_id)
    if check_password_hash(user.password_hash, request.form["password"]):
        return jsonify(error="choose a password you have not used before"), 400
    user.password_hash = generate_password_hash(request.form["password"])
    db.session.commit()
    return redirect(url_for("auth.login_page"))


@auth_bp.post("/device/token")
@limiter.exempt
def device_token():  # expect: KL404
    """Polled every few seconds by the saasdash CLI, so it is exempt from the default limits."""
    client = OAuthClient.query.filter_by(client_id=request.form.get("client_id", "")).first_or_404()
    if not check_password_hash(client.secret_hash, request.form.get("client_secret", "")):
        return jsonify(error="invalid_client"), 401
    user_code = request.form.get("user_code", "")
    if not hmac.compare_digest(digest(user_code), current_app.config.get("PENDING_DEVICE_CODES", {}).get(client.client_id, "")):
        return jsonify(error="authorization_pending"), 428
    return jsonify(access_token=create_access_token(identity=f"client:{client.client_id}"), token_type="Bearer", expires_in=900)  # ok: no-store comes from the blueprint's after_request
