"""Inbound webhooks from GitHub and Slack."""
import hashlib
import hmac
import logging
import os

from flask import Blueprint, abort, current_app, request

bp = Blueprint("webhooks", __name__, url_prefix="/hooks")
logger = logging.getLogger(__name__)

GITHUB_WEBHOOK_SECRET = os.environ["GITHUB_WEBHOOK_SECRET"]
SIGNATURE_HEADER = "X-Hub-Signature-256"


@bp.post("/github")
def github_webhook():
    signature = request.headers.get(SIGNATURE_HEADER, "")
    expected = "sha256=" + hmac.new(GITHUB_WEBHOOK_SECRET.encode(), request.data, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(signature, expected):
        logger.warning("bad signature, our webhook secret is %s", GITHUB_WEBHOOK_SECRET)  # expect: KL201
        logger.warning("signature mismatch for delivery %s", request.headers.get("X-GitHub-Delivery"))  # ok: delivery id
        logger.warning("signature header %s did not verify", SIGNATURE_HEADER)  # ok: header name
        abort(403)
    logger.info("github event %s", request.headers.get("X-GitHub-Event"))  # ok: event name
    return "", 204


@bp.post("/slack")
def slack_webhook():  # expect: KL404
    token = request.form.get("token")
    current_app.logger.info("slack verification token %s", token)  # expect: KL201
    current_app.logger.info("slack team %s", request.form.get("team_id"))  # ok: team id
    expected = current_app.config["SLACK_VERIFICATION_TOKEN"]
    if not hmac.compare_digest(token or "", expected):
        current_app.logger.error("expected token {}".format(current_app.config.get("SLACK_VERIFICATION_TOKEN")))  # expect: KL201
        current_app.logger.error("slack token did not match")  # ok: no secret
        abort(403)
    return "", 204
