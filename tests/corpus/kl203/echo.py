"""Diagnostics endpoints that echo what the caller sent."""
from flask import Blueprint, jsonify, request

bp = Blueprint("diagnostics", __name__, url_prefix="/diag")

API_KEY_HEADER = "X-API-Key"


@bp.get("/whoami")
def whoami():
    return jsonify(received=request.headers.get("Authorization"), agent=request.user_agent.string)  # expect: KL203


@bp.get("/whoami/v2")
def whoami_v2():
    return {"you_sent": request.headers["X-API-Key"]}  # expect: KL203


@bp.get("/whoami/v3")
def whoami_v3():
    return jsonify(has_authorization="Authorization" in request.headers, agent=request.user_agent.string)  # ok: a bool


@bp.get("/whoami/v4")
def whoami_v4():
    return jsonify(header=API_KEY_HEADER, scheme="Bearer")  # ok: header name and scheme


@bp.get("/check")
def check_token():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if not token:
        return jsonify(error="missing token"), 401  # ok: fixed message
    if len(token) != 40:
        return jsonify(error=f"invalid token {token}"), 401  # expect: KL203
    return jsonify(status="ok", token_prefix=token[:4])  # ok: short slice


@bp.post("/echo-login")
def echo_login():
    return jsonify(username=request.form["username"], password=request.form["password"])  # expect: KL203


@bp.post("/echo-login/v2")
def echo_login_v2():
    return jsonify(username=request.form["username"], password_length=len(request.form["password"]))  # ok: len() sanitizes


@bp.get("/cookie")
def cookie_echo():
    session_token = request.cookies.get("session_token")
    return jsonify(session_token=session_token)  # expect: KL203


@bp.get("/basic")
def basic_echo():
    auth = request.authorization
    if auth is None:
        return jsonify(error="basic auth required"), 401  # ok: fixed message
    return jsonify(username=auth.username, password=auth.password)  # expect: KL203


@bp.get("/basic/v2")
def basic_echo_v2():
    auth = request.authorization
    return jsonify(username=auth.username if auth else None)  # ok: a user name is not a credential
