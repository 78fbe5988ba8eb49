"""Login, token refresh and password reset."""
import logging
import secrets

from flask import Blueprint, current_app, jsonify, request
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash

from .models import PasswordReset, User, db

logger = logging.getLogger("shop.auth")
bp = Blueprint("auth", __name__, url_prefix="/auth")

TOKEN_TYPE = "Bearer"


@bp.post("/login")
def login():  # expect: KL404, KL405
    username = request.form["username"]
    password = request.form["password"]
    logger.debug("login attempt user=%s password=%s", username, password)  # expect: KL201
    logger.debug("login attempt user=%s", username)  # ok: user name only
    user = User.query.filter_by(username=username).first()
    if user is None or not check_password_hash(user.password_hash, password):
        logger.warning("Login failed for {} with password {}".format(username, password))  # expect: KL201
        logger.warning("Login failed for user %s", username)  # ok: no secret
        return jsonify(error="invalid credentials"), 401
    access_token = create_access_token(identity=user.id)
    refresh_token = create_refresh_token(identity=user.id)
    logger.info("issued access token %s to user %s", access_token, user.id)  # expect: KL201
    logger.info("issued tokens to user %s", user.id)  # ok: user id
    logger.info("token type %s", TOKEN_TYPE)  # ok: token type, not a token
    current_app.logger.info("refresh token: " + refresh_token)  # expect: KL201
    return jsonify(access_token=access_token, refresh_token=refresh_token, token_type=TOKEN_TYPE)


@bp.post("/refresh")
@jwt_required(refresh=True)
def refresh():  # expect: KL405
    identity = get_jwt_identity()
    logger.info("token refreshed")  # ok: no secret in the message
    logger.info("token refreshed for user %s", identity)  # ok: user id
    return jsonify(access_token=create_access_token(identity=identity))


@bp.post("/password-reset")
def request_reset():
    user = User.query.filter_by(email=request.form["email"]).first_or_404()
    reset_token = secrets.token_urlsafe(32)
    db.session.add(PasswordReset(user_id=user.id, token=reset_token))
    db.session.commit()
    print(f"reset token for user {user.id}: {reset_token}")  # expect: KL201
    print("password reset requested for user", user.id)  # ok: user id
    return jsonify(status="sent")


@bp.post("/password")
def change_password():
    user = User.query.get_or_404(request.form["user_id"])
    new_password = request.form["new_password"]
    current_app.logger.info("user %s changed password to %r", user.id, new_password)  # expect: KL201
    current_app.logger.info("user %s changed password (%d chars)", user.id, len(new_password))  # ok: len() sanitizes
    user.set_password(new_password)
    db.session.commit()
    return jsonify(status="ok")
