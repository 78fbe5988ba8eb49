"""Outbound notifications: GitHub issues for failed exports, SMS through Twilio."""
import logging as lg
import sys

import flask
from flask import jsonify as j
from github import Github
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client as TwilioClient

from .auth import internal_only

alerts = lg.getLogger("tallyhub.alerts")
bp = flask.Blueprint("notify", __name__, url_prefix="/notify")

TWILIO_AUTH_TOKEN = "0a6c7b21d5d5a4deae183fee52356eaf"  # expect: KL101
TWILIO_FROM = "+15005550006"  # ok: a phone number
OPS_REPO = "tallyhub/ops"


def _github():
    return Github("ghp_K3J1x7ZOP2fdXZiWVsM2BsiWM4dKowQFANzE")  # expect: KL101


def _twilio():
    return TwilioClient(flask.current_app.config["TWILIO_ACCOUNT_SID"], TWILIO_AUTH_TOKEN)  # ok: credentials used as intended


def _twilio_credentials():
    return flask.current_app.config["TWILIO_ACCOUNT_SID"], TWILIO_AUTH_TOKEN  # ok: a helper, not a route


def open_issue(title, body):
    issue = _github().get_repo(OPS_REPO).create_issue(title=title, body=body, labels=["export-failure"])
    alerts.info("opened %s#%d: %s", OPS_REPO, issue.number, title)  # ok: issue number and title
    return issue.number


def report_misconfig():
    token = flask.current_app.config.get("GITHUB_TOKEN")
    if not token:
        print("GITHUB_TOKEN is missing", file=sys.stderr)  # ok: env-var name
    elif not token.startswith(("ghp_", "github_pat_")):  # ok: prefix check
        print("GITHUB_TOKEN looks malformed: " + token, file=sys.stderr)  # expect: KL201
    else:
        print("GITHUB_TOKEN ok (%d chars, ends %s)" % (len(token), token[-4:]), file=sys.stderr)  # ok: len and short slice


@bp.route("/test-sms", methods=["POST"])
@internal_only
def test_sms():
    to = flask.request.form["to"]
    try:
        msg = _twilio().messages.create(to=to, from_=TWILIO_FROM, body="tallyhub test message")
    except TwilioRestException as exc:
        alerts.exception("twilio failed (%s) for sid=%s token=%s", exc.code, flask.current_app.config["TWILIO_ACCOUNT_SID"], TWILIO_AUTH_TOKEN)  # expect: KL201
        return j(error="sms failed", code=exc.code, account=flask.current_app.config["TWILIO_ACCOUNT_SID"], auth=TWILIO_AUTH_TOKEN), 502  # expect: KL203
    alerts.info("test sms %s queued to %s", msg.sid, to)  # ok: message sid
    return j(sid=msg.sid, status=msg.status), 202  # ok: message sid


@bp.get("/twilio/credentials")
@internal_only
def twilio_credentials():
    sid, auth_token = _twilio_credentials()
    return j(account_sid=sid, auth_token=auth_token)  # expect: KL203


@bp.get("/twilio/status")
@internal_only
def twilio_status():
    sid, auth_token = _twilio_credentials()
    return j(account_sid=sid, auth_token_set=bool(auth_token), from_number=TWILIO_FROM)  # ok: bool()
