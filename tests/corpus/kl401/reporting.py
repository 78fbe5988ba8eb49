"""Reporting API: an API-key decorator, embeddable reports and a link-based login."""
import hmac
from functools import wraps

from flask import Blueprint, abort, current_app, jsonify, redirect, request, session, url_for
from werkzeug.security import check_password_hash

from .extensions import limiter
from .models import ApiClient, User

bp = Blueprint("reporting", __name__, url_prefix="/reporting")


def api_key_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        supplied = request.args.get("api_key") or request.headers.get("X-API-Key")  # expect: KL401
        if not supplied or ApiClient.verify(supplied) is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


def header_key_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        supplied = request.headers.get("X-API-Key", "")  # ok: a header
        if ApiClient.verify(supplied) is None:
            abort(401)
        return view(*args, **kwargs)

    return wrapped


@bp.get("/daily")
@api_key_required
def daily_report():
    day = request.args.get("day")  # ok: a date
    return jsonify(day=day, rows=[])


@bp.get("/weekly")
@header_key_required
def weekly_report():
    week = request.args.get("week", type=int)  # ok: a week number
    return jsonify(week=week, rows=[])


@bp.get("/embed")
@limiter.limit("30 per minute")
def embed_report():
    token = request.args.get("embed_token", "")  # expect: KL401
    if not hmac.compare_digest(token.encode(), current_app.config["REPORT_EMBED_TOKEN"].encode()):
        abort(403)
    return jsonify(embedded=True)


@bp.get("/feed")
def report_feed():  # expect: KL404
    feed_token = request.values.get("feed_token", "")  # expect: KL401
    if not hmac.compare_digest(feed_token, current_app.config["REPORT_FEED_TOKEN"]):
        abort(403)
    return jsonify(items=[])


@bp.get("/login")
@limiter.limit("5 per minute")
def login_via_link():
    user = User.query.filter_by(email=request.args.get("email", "")).first()  # ok: an e-mail address
    password = request.args.get("password", "")  # expect: KL401
    if user is None or not check_password_hash(user.password_hash, password):
        abort(401)
    session["user_id"] = user.id
    return redirect(url_for("reporting.daily_report"))


@bp.post("/login")
@limiter.limit("5 per minute")
def login():
    user = User.query.filter_by(email=request.form.get("email", "")).first()
    password = request.form.get("password", "")  # ok: the form body, not the URL
    if user is None or not check_password_hash(user.password_hash, password):
        abort(401)
    session["user_id"] = user.id
    return redirect(url_for("reporting.daily_report"))
