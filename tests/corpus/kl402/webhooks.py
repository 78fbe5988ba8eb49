"""Inbound webhooks: GitHub (HMAC signature), CI and deploy hooks (shared token)."""
import hashlib
import hmac
import os
import secrets

from flask import Blueprint, abort, jsonify, request

bp = Blueprint("hooks", __name__, url_prefix="/hooks")

GITHUB_WEBHOOK_SECRET = os.environ["GITHUB_WEBHOOK_SECRET"]
CI_HOOK_TOKEN = os.environ["CI_HOOK_TOKEN"]


def _expected_signature(body):
    return "sha256=" + hmac.new(GITHUB_WEBHOOK_SECRET.encode(), body, hashlib.sha256).hexdigest()


@bp.post("/github")
def github():
    signature = request.headers.get("X-Hub-Signature-256", "")
    expected = _expected_signature(request.get_data())
    if signature != expected:  # expect: KL402
        abort(403)
    return jsonify(ok=True)


@bp.post("/github/v2")
def github_v2():
    signature = request.headers.get("X-Hub-Signature-256", "")
    if not hmac.compare_digest(signature, _expected_signature(request.get_data())):  # ok: constant-time comparison
        abort(403)
    if request.headers.get("X-GitHub-Event") == "ping":  # ok: event name
        return jsonify(pong=True)
    return jsonify(ok=True)


@bp.post("/ci")
def ci():
    if request.headers.get("X-Auth-Token") != CI_HOOK_TOKEN:  # expect: KL402
        abort(403)
    return jsonify(queued=True)


@bp.post("/ci/v2")
def ci_v2():  # expect: KL404
    token = request.headers.get("X-Auth-Token")
    if token is None:  # ok: presence check
        abort(401)
    if not secrets.compare_digest(token, CI_HOOK_TOKEN):  # ok: constant-time comparison
        abort(403)
    return jsonify(queued=True)


@bp.post("/deploy")
def deploy():
    payload = request.get_json(force=True)
    if os.environ["DEPLOY_TOKEN"] == request.headers.get("X-Auth-Token"):  # expect: KL402
        if payload.get("ref") == "refs/heads/main":  # ok: git ref, not a credential
            return jsonify(deploying=True)
    return jsonify(deploying=False), 403
