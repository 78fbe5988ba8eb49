"""Background jobs run by the rq worker: exports, webhook delivery, rotation."""
import csv
import hashlib
import hmac
import json
import logging
import os
import secrets
import sys
import time
from pathlib import Path

import requests
import yaml
from flask import current_app

from .extensions import db
from .integrations import IntegrationError
from .integrations.vendors import QuickBooksClient, SendGridClient, post_to_slack
from .models import Merchant, WebhookDelivery
from .security import fingerprint, mask_secret

log = logging.getLogger("ledgerline.tasks")


def worker_startup():
    log.info("worker pid=%s python=%s", os.getpid(), sys.version.split()[0])  # ok
    log.debug("worker environment: %s", dict(os.environ))  # expect: KL202
    log.info("ledgerline variables visible: %s", sorted(k for k in os.environ if k.startswith("LEDGERLINE_")))  # ok: variable names only


def check_integrations():
    cfg = current_app.config
    for name in ("STRIPE_SECRET_KEY", "SENDGRID_API_KEY", "TWILIO_AUTH_TOKEN", "FX_ACCESS_KEY"):
        if not cfg.get(name):
            sys.stderr.write(f"missing {name}\n")  # ok: variable name only
        else:
            sys.stderr.write(f"{name} configured ({len(cfg[name])} chars)\n")  # ok: length only
    dsn = os.environ.get("SENTRY_DSN")
    if dsn:
        sys.stderr.write("sentry enabled: " + dsn + "\n")  # expect: KL201


def export_merchants(path):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country", "endpoint_url", "webhook_secret"])  # ok: header row of column names
        for m in Merchant.query.order_by(Merchant.id):
            writer.writerow([m.id, m.name, m.country, m.endpoint_url, m.webhook_secret])  # expect: KL209


def export_key_inventory(path):
    with open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "webhook_secret_fingerprint", "quickbooks_connected"])  # ok: column names
        for m in Merchant.query.order_by(Merchant.id):
            writer.writerow([m.id, fingerprint(m.webhook_secret or ""), bool(m.quickbooks_refresh_token)])  # ok: hash and bool


def write_sidecar_env(path):
    cfg = current_app.config
    lines = [f"STRIPE_SECRET_KEY={cfg['STRIPE_SECRET_KEY']}", f"SENDGRID_API_KEY={cfg['SENDGRID_API_KEY']}", f"SERVICE_NAME={cfg['SERVICE_NAME']}"]
    Path(path).write_text("\n".join(lines) + "\n")  # expect: KL209


def write_sidecar_manifest(path):
    cfg = current_app.config
    manifest = {"service": cfg["SERVICE_NAME"], "queues": ["exports", "webhooks"], "sendgrid": {"api_key": cfg["SENDGRID_API_KEY"]}}
    with open(path, "w") as fh:
        yaml.safe_dump(manifest, fh)  # expect: KL209


def write_public_manifest(path):
    cfg = current_app.config
    manifest = {"service": cfg["SERVICE_NAME"], "queues": ["exports", "webhooks"], "sendgrid_key_fingerprint": fingerprint(cfg["SENDGRID_API_KEY"] or "")}
    with open(path, "w") as fh:
        yaml.safe_dump(manifest, fh)  # ok: fingerprint only


def publish_checkout_config():
    static_dir = Path(current_app.static_folder)
    (static_dir / "stripe.json").write_text(json.dumps({"publishableKey": current_app.config["STRIPE_PUBLISHABLE_KEY"]}))  # ok: publishable key
    payload = {"publishableKey": current_app.config["STRIPE_PUBLISHABLE_KEY"], "fxAccessKey": current_app.config["FX_ACCESS_KEY"]}
    (static_dir / "checkout-config.json").write_text(json.dumps(payload))  # expect: KL209


def snapshot_quickbooks(merchant_id, dest_dir):
    merchant = db.session.get(Merchant, merchant_id)
    snapshot = {"merchant": merchant.id, "quickbooks_refresh_token": merchant.quickbooks_refresh_token, "taken_at": time.time()}
    with open(os.path.join(dest_dir, f"qb-{merchant.id}.json"), "w") as fh:
        json.dump(snapshot, fh)  # expect: KL209


def sync_quickbooks(merchant_id):
    merchant = db.session.get(Merchant, merchant_id)
    cfg = current_app.config
    client = QuickBooksClient(cfg["QUICKBOOKS_CLIENT_ID"], cfg["QUICKBOOKS_CLIENT_SECRET"])
    try:
        fresh = client.refresh(merchant.quickbooks_refresh_token)
    except IntegrationError as exc:
        raise RuntimeError("quickbooks sync failed for merchant %s with refresh token %s" % (merchant.id, merchant.quickbooks_refresh_token)) from exc  # expect: KL206
    merchant.quickbooks_refresh_token = fresh["refresh_token"]
    db.session.commit()
    log.info("quickbooks token refreshed for merchant %s (expires in %ss)", merchant.id, fresh.get("expires_in"))  # ok: expiry, not the token


def append_rotation_audit(merchant, new_secret):
    with open(current_app.config["AUDIT_LOG_PATH"], "a") as fh:
        fh.write(f"{time.time():.0f} rotated webhook secret for merchant {merchant.id}: {new_secret}\n")  # expect: KL209
        fh.write(f"{time.time():.0f} new secret fingerprint {fingerprint(new_secret)}\n")  # ok: fingerprint


def rotate_webhook_secret(merchant_id):
    merchant = db.session.get(Merchant, merchant_id)
    new_secret = "whsec_" + secrets.token_urlsafe(32)
    merchant.webhook_secret = new_secret
    db.session.commit()
    append_rotation_audit(merchant, new_secret)
    log.info("rotated webhook secret for merchant %s (fingerprint %s)", merchant.id, fingerprint(new_secret))  # ok: fingerprint
    print("new webhook secret for merchant", merchant.id, "=", new_secret)  # expect: KL201
    SendGridClient(current_app.config["SENDGRID_API_KEY"]).send(merchant.billing_email, "Webhook signing secret rotated", f"<p>Your new signing secret ends in {new_secret[-4:]}.</p>")


def deliver_webhook(delivery_id):
    delivery = db.session.get(WebhookDelivery, delivery_id)
    merchant = delivery.merchant
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True)
    signature = hmac.new(merchant.webhook_secret.encode(), body.encode(), hashlib.sha256).hexdigest()
    log.info("delivering %s to %s (sig %s…)", delivery.id, merchant.endpoint_url, signature[:10])  # ok: digest prefix
    delivery.attempts += 1
    try:
        resp = requests.post(merchant.endpoint_url, data=body, headers={"Content-Type": "application/json", "X-Ledgerline-Signature": signature}, timeout=10)
    except requests.RequestException as exc:
        log.warning("delivery %s failed: %s", delivery.id, exc)  # ok: transport error, no credential
        db.session.commit()
        return False
    if resp.status_code >= 400:
        log.error("delivery %s rejected (%s); signing secret in use: %s", delivery.id, resp.status_code, merchant.webhook_secret)  # expect: KL201
        log.error("delivery %s rejected; secret hint %s", delivery.id, mask_secret(merchant.webhook_secret))  # ok: masked
        if delivery.attempts >= 5:
            post_to_slack(f"Webhook delivery {delivery.id} for merchant {merchant.id} failed {delivery.attempts} times")
        db.session.commit()
        return False
    delivery.delivered_at = db.func.now()
    db.session.commit()
    return True
