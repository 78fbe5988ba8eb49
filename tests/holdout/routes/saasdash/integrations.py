"""Outbound integrations (CRM, analytics, legacy billing, tenant webhooks, mail)
and the inbound webhook receivers (mounted at /hooks)."""
import hashlib
import hmac
import json
import smtplib
import ssl
from email.message import EmailMessage

import requests
from flask import Blueprint, abort, current_app, jsonify, request

from .extensions import limiter
from .models import WebhookEndpoint

hooks_bp = Blueprint("hooks", __name__)


# --- inbound ------------------------------------------------------------------


@hooks_bp.post("/github")
def github_hook():  # ok: the app-wide default limit applies
    secret = current_app.config["GITHUB_WEBHOOK_SECRET"]
    expected = "sha256=" + hmac.new(secret.encode(), request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Hub-Signature-256", ""), expected):
        abort(401)
    event = request.headers.get("X-GitHub-Event", "ping")
    return jsonify(received=event)


@hooks_bp.post("/stripe")
@limiter.limit("600 per minute")
def stripe_hook():  # ok: route limit
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    header = dict(part.split("=", 1) for part in request.headers.get("Stripe-Signature", "").split(",") if "=" in part)
    expected = hmac.new(secret.encode(), f"{header.get('t', '')}.{request.get_data(as_text=True)}".encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(header.get("v1", ""), expected):
        abort(400)
    return jsonify(received=True)


# --- outbound -----------------------------------------------------------------


def push_lead(lead):
    token = current_app.config["CRM_API_TOKEN"]
    resp = requests.post("http://crm.leadbridge.net/api/v2/leads", json=lead, headers={"Authorization": f"Bearer {token}"}, timeout=10)  # expect: KL303
    return resp.status_code


def push_lead_v3(lead):
    token = current_app.config["CRM_API_TOKEN"]
    resp = requests.post("https://api.leadbridge.net/v3/leads", json=lead, headers={"Authorization": f"Bearer {token}"}, timeout=10)  # ok: https
    return resp.status_code


def fetch_legacy_invoices(tenant_id):
    key = current_app.config["LEGACY_BILLING_KEY"]
    resp = requests.get(f"https://billing-legacy.saasdash.io/api/tenants/{tenant_id}/invoices", headers={"X-API-Key": key}, verify=False, timeout=10)  # expect: KL303
    return resp.json()


def fetch_invoices(tenant_id):
    key = current_app.config["LEGACY_BILLING_KEY"]
    resp = requests.get(f"https://billing.saasdash.io/api/tenants/{tenant_id}/invoices", headers={"X-API-Key": key}, verify=current_app.config["CA_BUNDLE"], timeout=10)  # ok: verified against the internal CA
    return resp.json()


def send_usage_event(event):
    cfg = current_app.config
    resp = requests.post("http://ingest.partner-analytics.com/v1/events", data=json.dumps(event), auth=(cfg["ANALYTICS_USER"], cfg["ANALYTICS_PASSWORD"]), timeout=5)  # expect: KL303
    return resp.ok


def send_usage_event_local(event):
    cfg = current_app.config
    resp = requests.post("http://127.0.0.1:8125/v1/events", data=json.dumps(event), auth=(cfg["ANALYTICS_USER"], cfg["ANALYTICS_PASSWORD"]), timeout=2)  # ok: loopback sidecar
    return resp.ok


def deliver_tenant_webhook(endpoint_id, payload, bearer):
    endpoint = WebhookEndpoint.query.get(endpoint_id)
    resp = requests.post(endpoint.url, json=payload, headers={"Authorization": f"Bearer {bearer}"}, verify=False, timeout=10)  # expect: KL303
    return resp.status_code


def send_mail(to, subject, body):
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = "SaaSDash <no-reply@saasdash.io>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=10) as smtp:
        smtp.starttls(context=ssl.create_default_context())
        smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])  # ok: after STARTTLS
        smtp.send_message(msg)


def send_mail_implicit_tls(to, subject, body):
    cfg = current_app.config
    msg = EmailMessage()
    msg["From"] = "SaaSDash <no-reply@saasdash.io>"
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    with smtplib.SMTP_SSL(cfg["MAIL_SERVER"], 465, context=ssl.create_default_context(), timeout=10) as smtp:
        smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])  # ok: implicit TLS
        smtp.send_message(msg)
