"""Inbound webhooks (payments, GitHub, Mailgun, Slack, deploy) and signing of outbound partner callbacks."""
import hashlib
import hmac
import json
import logging
import os
import time

import flask
from flask import Blueprint, abort, request

hooks = Blueprint("webhooks", __name__)
log = logging.getLogger(__name__)

SIGNATURE_HEADER = "Stripe-Signature"
TOLERANCE_SECONDS = 300
DEPLOY_HOOK_TOKEN = os.environ["DEPLOY_HOOK_TOKEN"]
SLACK_SIGNING_SECRET = os.getenv("SLACK_SIGNING_SECRET", "71087b80bb2a7c6edc66c339a5dcf451")  # expect: KL101
SLACK_VERIFICATION_TOKEN = os.getenv("SLACK_VERIFICATION_TOKEN")


def _parse_sig_header(value):
    parts = dict(item.split("=", 1) for item in value.split(",") if "=" in item)
    return int(parts.get("t", 0)), parts.get("v1", "")


def sign_partner_callback(body: bytes) -> str:
    return hmac.new(b"Pq7sWn2ZkR9xLc4Vb8Ty1Hm6", body, hashlib.sha256).hexdigest()  # expect: KL101


@hooks.post("/stripe")
def stripe_event():
    payload = request.get_data()
    ts, sig = _parse_sig_header(request.headers.get(SIGNATURE_HEADER, ""))
    if abs(time.time() - ts) > TOLERANCE_SECONDS:  # ok: timestamp check
        log.warning("stale stripe webhook, ts=%s", ts)  # ok: timestamp
        return "", 400
    secret = flask.current_app.config["STRIPE_WEBHOOK_SECRET"]
    expected = hmac.new(secret.encode(), f"{ts}.".encode() + payload, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, sig):  # ok: constant-time comparison
        log.warning("bad stripe signature on %d-byte payload", len(payload))  # ok: length only
        abort(400)
    event = json.loads(payload)
    log.info("stripe event %s (%s)", event["id"], event["type"])  # ok: event id and type
    return flask.jsonify(received=True)  # ok: no secret


@hooks.post("/github")
def github_push():
    secret = flask.current_app.config["GITHUB_WEBHOOK_SECRET"]
    log.debug("verifying github push with secret {}".format(secret))  # expect: KL201
    sig = request.headers.get("X-Hub-Signature-256", "")
    if not sig.startswith("sha256="):  # ok: prefix check
        abort(400)
    mac = hmac.new(secret.encode(), request.get_data(), hashlib.sha256)
    if sig != "sha256=" + mac.hexdigest():  # expect: KL402
        abort(403)
    if request.headers.get("X-GitHub-Event") == "ping":  # ok: event name
        return flask.jsonify(pong=True)
    return flask.jsonify(queued=True), 202


@hooks.post("/mailgun")
def mailgun_event():
    sig = request.form.get("signature", "")
    key = flask.current_app.config["MAILGUN_WEBHOOK_SIGNING_KEY"]
    expected = hmac.new(key.encode(), (request.form["timestamp"] + request.form["token"]).encode(), hashlib.sha256).hexdigest()
    if sig == expected:  # expect: KL402
        log.info("mailgun %s for %s", request.form.get("event"), request.form.get("recipient"))  # ok: event and recipient
        return "", 204
    log.warning("mailgun signature mismatch, signing key fingerprint %s", hashlib.sha1(key.encode()).hexdigest()[:8])  # ok: hashed
    return "", 406


@hooks.post("/slack/commands")
def slack_command():
    ts = request.headers.get("X-Slack-Request-Timestamp", "0")
    base = f"v0:{ts}:{request.get_data(as_text=True)}"
    digest = "v0=" + hmac.new(SLACK_SIGNING_SECRET.encode(), base.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(digest, request.headers.get("X-Slack-Signature", "")):  # ok: constant-time comparison
        return "", 401
    if request.form.get("token") == SLACK_VERIFICATION_TOKEN:  # expect: KL402
        log.info("legacy slack verification token still in use")  # ok: no value
    log.info("slack command %s from %s", request.form.get("command"), request.form.get("user_id"))  # ok: command and user id
    return flask.jsonify(response_type="ephemeral", text="Working on it")  # ok: no secret


@hooks.post("/deploy")
def deploy():
    token = request.args.get("token", "")  # expect: KL401
    if token != DEPLOY_HOOK_TOKEN:  # expect: KL402
        log.warning("deploy hook refused, token=%r", token)  # expect: KL201
        abort(403, description=f"deploy token {token} rejected")  # expect: KL203
    log.info("deploy of %s requested", request.args.get("ref", "main"))  # ok: git ref
    return flask.jsonify(deploying=True, ref=request.args.get("ref", "main")), 202  # ok: git ref
