"""Bearer-token authentication for the operations API."""
import os

from flask import Blueprint, abort, g, jsonify, request

from .settings import settings

bp = Blueprint("ops", __name__, url_prefix="/ops")

ADMIN_TOKEN = os.environ["ADMIN_TOKEN"]
API_TOKEN = os.getenv("API_TOKEN")
TOKEN_TYPE = "Bearer"


def token_matches(token):
    return token == API_TOKEN  # expect: KL402


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":  # ok: scheme check
        abort(401)
    if not token:  # ok: presence check
        abort(401)
    if len(token) != 64:  # ok: length check
        abort(401)
    if token.startswith("tmp_"):  # ok: prefix check
        abort(401)
    if token == os.environ["ADMIN_TOKEN"]:  # expect: KL402
        g.role = "admin"
    elif token != settings.API_TOKEN:  # expect: KL402
        abort(403)
    else:
        g.role = "service"


@bp.get("/jobs")
def jobs():
    if request.headers.get("Authorization") != "Bearer " + API_TOKEN:  # expect: KL402
        abort(401)
    if g.role == "admin":  # ok: role, not a credential
        return jsonify(jobs=[], all=True)
    return jsonify(jobs=[])


@bp.get("/queues")
def queues():
    if request.headers["Authorization"] == f"{TOKEN_TYPE} {ADMIN_TOKEN}":  # expect: KL402
        return jsonify(queues=[], admin=True)
    return jsonify(queues=[])


@bp.get("/workers")
def workers():
    is_admin = request.headers.get("X-Admin-Token") == ADMIN_TOKEN  # expect: KL402
    return jsonify(workers=[], admin=is_admin)


@bp.get("/workers/<int:worker_id>")
def worker(worker_id):
    if g.get("worker_id") != worker_id:  # ok: comparing ids
        abort(404)
    if request.method == "GET":  # ok: not a credential
        return jsonify(id=worker_id)
    return jsonify(id=worker_id, detail=True)


@bp.get("/legacy")
def legacy():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ")
    if token_matches(token):
        return jsonify(legacy=True)
    return jsonify(error="unauthorized"), 401
