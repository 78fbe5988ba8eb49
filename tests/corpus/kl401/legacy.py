"""Legacy v0 endpoints kept for old mobile clients, which send credentials in the URL."""
from flask import Blueprint, abort, jsonify, request

from .models import Device, Session, Translation

bp = Blueprint("legacy", __name__, url_prefix="/v0")


def current_session():
    sid = request.args.get("session_token")  # expect: KL401
    return Session.lookup(sid)


@bp.get("/inbox")
def inbox():
    sess = current_session()
    if sess is None:
        abort(401)
    cursor = request.args.get("cursor")  # ok: a paging cursor
    return jsonify(messages=[m.to_dict() for m in sess.user.inbox(after=cursor)])


@bp.get("/devices/register")
def register_device():
    auth_token = request.args.get("auth_token", type=str)  # expect: KL401
    device_name = request.args.get("device_name", "unknown")  # ok: a device name
    device_id = request.args.get("device_id")  # ok: an identifier
    owner = Session.lookup(auth_token)
    if owner is None:
        abort(401)
    Device.register(owner.user, device_id=device_id, name=device_name)
    return jsonify(status="registered")


@bp.get("/translations")
def translations():
    key_name = request.args.get("key_name")  # ok: a translation key name
    keyword = request.args.get("keyword", "")  # ok: a search term
    return jsonify(Translation.search(key_name=key_name, keyword=keyword))


@bp.get("/profile")
def profile():
    device = Device.for_key(request.args["apiKey"])  # expect: KL401
    if device is None:
        abort(401)
    return jsonify(user_id=device.user_id, name=device.name)


@bp.get("/stream")
def stream():
    bearer = request.values.get("bearer")  # expect: KL401
    sess = Session.lookup(bearer)
    if sess is None:
        abort(401)
    return jsonify(events=sess.user.events(since=request.args.get("since")))


@bp.post("/password")
def change_password():
    old = request.values["passwd"]  # expect: KL401
    new = request.form["new_password"]  # ok: the form body
    device = Device.for_cookie(request.cookies.get("auth_token"))  # ok: a cookie, not the URL
    if device is None or not device.user.change_password(old, new):
        abort(403)
    return jsonify(status="changed")


@bp.get("/user")
def user_lookup():
    user_id = request.args.get("user_id", type=int)  # ok: an identifier
    token = request.json.get("auth_token") if request.is_json else None  # ok: the JSON body
    sess = Session.lookup(token)
    if sess is None:
        abort(401)
    return jsonify(sess.user.public_profile(user_id))
