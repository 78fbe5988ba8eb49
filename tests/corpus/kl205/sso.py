"""Partner SSO, billing portal hand-off, catalogue proxy and webhook registration."""
import hmac
import os

import requests
from flask import Blueprint, abort, current_app, redirect, request, url_for
from flask_login import current_user, login_required

from .extensions import limiter

bp = Blueprint("sso", __name__, url_prefix="/sso")

PARTNER_SSO_URL = "https://partner.example.com/sso/login"
BILLING_PORTAL_URL = "https://billing.example.com/portal"
CATALOG_URL = "https://catalog.example.com/v1/items"
FRONTEND_URL = os.environ.get("FRONTEND_URL", "https://app.example.com")
WEBHOOK_SECRET = os.environ["WEBHOOK_SECRET"]


@bp.get("/partner")
@login_required
def partner_login():
    return redirect(f"{PARTNER_SSO_URL}?user={current_user.id}&token={current_app.config['PARTNER_SSO_TOKEN']}")  # expect: KL205|KL203


@bp.get("/partner/v2")
@login_required
def partner_login_v2():
    ticket = requests.post(f"{PARTNER_SSO_URL}/tickets", json={"user": current_user.id}, headers={"Authorization": f"Bearer {current_app.config['PARTNER_SSO_TOKEN']}"}, timeout=10).json()["ticket"]
    return redirect(f"{PARTNER_SSO_URL}?ticket={ticket}")  # ok: a one-time ticket issued by the partner, not our token


@bp.get("/billing")
@login_required
def billing_portal():
    return redirect(BILLING_PORTAL_URL + "?customer=" + current_user.billing_id + "&api_key=" + current_app.config["BILLING_API_KEY"])  # expect: KL205|KL203


@bp.get("/billing/v2")
@login_required
def billing_portal_v2():
    return redirect(url_for("billing.portal", customer=current_user.billing_id))  # ok: no secret


@bp.get("/welcome")
@login_required
def welcome():
    return redirect(f"{FRONTEND_URL}/welcome?user_id={current_user.id}")  # ok: a user id


@bp.get("/catalog")
def catalog_proxy():
    api_key = request.headers.get("X-API-Key", "")
    upstream = requests.get(f"{CATALOG_URL}?api_key={api_key}&category={request.args.get('category', 'all')}", timeout=10)  # expect: KL205
    return upstream.json(), upstream.status_code


@bp.get("/catalog/v2")
def catalog_proxy_v2():
    upstream = requests.get(CATALOG_URL, params={"category": request.args.get("category", "all")}, headers={"X-API-Key": request.headers.get("X-API-Key", "")}, timeout=10)  # ok: the caller's key is forwarded in a header
    return upstream.json(), upstream.status_code


@bp.post("/webhooks/register")
@login_required
def register_webhook():
    callback = url_for("sso.receive_webhook", secret=WEBHOOK_SECRET, _external=True)  # expect: KL205
    requests.post("https://partner.example.com/api/webhooks", json={"url": callback}, headers={"Authorization": f"Bearer {current_app.config['PARTNER_SSO_TOKEN']}"}, timeout=10)
    return {"status": "registered"}


@bp.post("/webhooks/register/v2")
@login_required
def register_webhook_v2():
    callback = url_for("sso.receive_webhook_v2", _external=True)  # ok: no secret in the callback URL
    requests.post("https://partner.example.com/api/webhooks", json={"url": callback, "secret": WEBHOOK_SECRET}, headers={"Authorization": f"Bearer {current_app.config['PARTNER_SSO_TOKEN']}"}, timeout=10)  # ok: the secret travels in the request body
    return {"status": "registered"}


@bp.post("/webhooks/receive")
def receive_webhook():  # expect: KL404
    supplied = request.args.get("secret", "")  # expect: KL401
    if not hmac.compare_digest(supplied, WEBHOOK_SECRET):
        abort(403)
    return "", 204


@bp.post("/webhooks/receive/v2")
@limiter.limit("120 per minute")
def receive_webhook_v2():
    supplied = request.headers.get("X-Webhook-Secret", "")  # ok: the secret comes in a header, not the URL
    if not hmac.compare_digest(supplied, WEBHOOK_SECRET):
        abort(403)
    return "", 204
