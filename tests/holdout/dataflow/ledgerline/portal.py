"""Merchant portal (server-rendered pages) and inbound provider webhooks."""
import hashlib
import hmac
import json
import logging
import secrets
import sys

from flask import Blueprint, abort, current_app, flash, jsonify, make_response, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from .extensions import db
from .integrations.vendors import QuickBooksClient, TwilioClient, geocode
from .models import Invoice, Merchant, User, WebhookDelivery
from .security import fingerprint, mask_secret

portal_bp = Blueprint("portal", __name__, template_folder="templates")
webhooks_bp = Blueprint("webhooks", __name__)
log = logging.getLogger("ledgerline.portal")


def _signing_key():
    return current_app.config["RECEIPT_SIGNING_KEY"]


def _statement_token(invoice_id):
    return hmac.new(_signing_key().encode(), f"statement:{invoice_id}".encode(), hashlib.sha256).hexdigest()


def _quickbooks():
    cfg = current_app.config
    return QuickBooksClient(cfg["QUICKBOOKS_CLIENT_ID"], cfg["QUICKBOOKS_CLIENT_SECRET"])


@portal_bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        user = User.query.filter_by(email=request.form.get("email", "").lower()).first()
        password = request.form.get("password", "")  # ok: form body, not the URL
        if user is None or not user.check_password(password):
            log.info("failed portal login for %s", request.form.get("email"))  # ok: the login name, not the password
            flash("Invalid email or password.")
            return render_template("portal/login.html"), 401
        login_user(user)
        session["merchant_id"] = user.merchant_id  # ok: an id, not a secret
        return redirect(url_for("portal.dashboard"))
    return render_template("portal/login.html")


@portal_bp.get("/kiosk")
def kiosk_login():
    """Legacy auto-login used by the front-desk tablets' bookmarks."""
    password = request.args.get("password", "")  # expect: KL401
    user = User.query.filter_by(email=request.args.get("email", "").lower()).first()
    if user is None or not user.check_password(password):
        abort(401)
    login_user(user)
    return redirect(url_for("portal.dashboard"))


@portal_bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    return redirect(url_for("portal.login"))


@portal_bp.get("/")
@login_required
def dashboard():
    merchant = current_user.merchant
    invoices = Invoice.query.filter_by(merchant_id=merchant.id).order_by(Invoice.created_at.desc()).limit(20).all()
    return render_template("portal/dashboard.html", merchant_name=merchant.name, invoices=invoices, stripe_pk=current_app.config["STRIPE_PUBLISHABLE_KEY"])  # ok: publishable key


@portal_bp.get("/settings/integrations")
@login_required
def integration_settings():
    cfg = current_app.config
    return render_template("portal/integrations.html", stripe_key_hint=mask_secret(cfg["STRIPE_SECRET_KEY"]), sendgrid_configured=bool(cfg.get("SENDGRID_API_KEY")), quickbooks_client_id=cfg["QUICKBOOKS_CLIENT_ID"])  # ok: masked, bool, public client id


@portal_bp.get("/settings/sms")
@login_required
def sms_settings():
    cfg = current_app.config
    return render_template("portal/sms.html", account_sid=cfg["TWILIO_ACCOUNT_SID"], twilio_token=cfg["TWILIO_AUTH_TOKEN"])  # expect: KL203


@portal_bp.post("/settings/sms/test")
@login_required
def sms_test():
    cfg = current_app.config
    client = TwilioClient(cfg["TWILIO_ACCOUNT_SID"], cfg["TWILIO_AUTH_TOKEN"], cfg["TWILIO_FROM_NUMBER"])
    sid = client.send_sms(request.form["to"], "Ledgerline test message")
    session["last_sms_sid"] = sid  # ok: message id
    session["twilio_token_fp"] = fingerprint(cfg["TWILIO_AUTH_TOKEN"])  # ok: fingerprint only
    return jsonify(sent=True, sid=sid)


@portal_bp.post("/settings/integrations/stripe/test")
@login_required
def stripe_test():
    key = current_app.config["STRIPE_SECRET_KEY"]
    session["last_tested_key"] = key  # expect: KL208
    session["stripe_key_hint"] = mask_secret(key)  # ok: masked
    session["stripe_live"] = key.startswith("sk_live_")  # ok: boolean
    return redirect(url_for("portal.integration_settings"))


@portal_bp.post("/settings/integrations/sendgrid/remember")
@login_required
def remember_sendgrid():
    session["sendgrid"] = {"key": current_app.config["SENDGRID_API_KEY"], "from": current_app.config["SENDGRID_FROM"]}  # expect: KL208
    session["sendgrid_enabled"] = bool(current_app.config.get("SENDGRID_API_KEY"))  # ok: boolean
    return redirect(url_for("portal.integration_settings"))


@portal_bp.get("/quickbooks/connect")
@login_required
def quickbooks_connect():
    state = secrets.token_urlsafe(16)
    session["oauth_state"] = state  # ok: OAuth state nonce, not an app secret
    client_id = current_app.config["QUICKBOOKS_CLIENT_ID"]
    callback = url_for("portal.quickbooks_callback", _external=True)
    return redirect(f"https://appcenter.intuit.com/connect/oauth2?client_id={client_id}&response_type=code&scope=com.intuit.quickbooks.accounting&state={state}&redirect_uri={callback}")  # ok: client id and state only


@portal_bp.get("/quickbooks/callback")
@login_required
def quickbooks_callback():
    if request.args.get("state") != session.pop("oauth_state", None):  # ok: OAuth state, not a credential
        abort(400)
    code = request.args.get("code")  # ok: OAuth authorization code, in the redirect URL by design
    token_payload = _quickbooks().exchange_code(code, url_for("portal.quickbooks_callback", _external=True))
    merchant = current_user.merchant
    merchant.quickbooks_refresh_token = token_payload["refresh_token"]
    db.session.commit()
    current_app.logger.debug(f"quickbooks callback environ: {request.environ}")  # expect: KL202
    session["qb_access_token"] = token_payload["access_token"]  # expect: KL208
    session["quickbooks_connected"] = True  # ok
    return redirect(url_for("portal.integration_settings"))


@portal_bp.get("/fx/dashboard")
@login_required
def fx_dashboard():
    access_key = current_app.config["FX_ACCESS_KEY"]
    return redirect(f"https://currencylayer.com/dashboard?access_key={access_key}")  # expect: KL205


@portal_bp.get("/statements/<int:invoice_id>/download")
@login_required
def download_statement(invoice_id):
    invoice = Invoice.query.filter_by(id=invoice_id, merchant_id=current_user.merchant_id).first_or_404()
    return redirect(current_app.config["STATEMENTS_CDN"] + "/statements/" + str(invoice.id) + ".pdf?token=" + _signing_key())  # expect: KL205


@portal_bp.get("/statements/<int:invoice_id>/link")
@login_required
def statement_link(invoice_id):
    invoice = Invoice.query.filter_by(id=invoice_id, merchant_id=current_user.merchant_id).first_or_404()
    return jsonify(url=f"{current_app.config['STATEMENTS_CDN']}/statements/{invoice.id}.pdf?sig={_statement_token(invoice.id)}")  # ok: per-invoice HMAC, not the signing key


@portal_bp.get("/statements/<int:invoice_id>.pdf")
def statement_pdf(invoice_id):
    sig = request.args.get("sig", "")  # ok: per-invoice URL signature, not an API credential
    if not hmac.compare_digest(sig, _statement_token(invoice_id)):  # ok: constant-time
        abort(403)
    invoice = db.get_or_404(Invoice, invoice_id)
    return render_template("portal/statement.html", invoice_id=invoice.id, amount_cents=invoice.amount_cents)


@portal_bp.get("/receipts/key")
@login_required
def receipt_key():
    return _signing_key()  # expect: KL203


@portal_bp.post("/receipts/prepare")
@login_required
def prepare_receipts():
    session["receipt_signing_key"] = _signing_key()  # expect: KL208
    return redirect(url_for("portal.dashboard"))


@portal_bp.get("/embed/checkout")
@login_required
def embed_checkout():
    resp = make_response(render_template("portal/checkout_embed.html", stripe_pk=current_app.config["STRIPE_PUBLISHABLE_KEY"]))  # ok: publishable key
    resp.set_cookie("ll_svc", current_app.config["INTERNAL_SERVICE_TOKEN"], secure=True, httponly=True, samesite="Strict")  # expect: KL208
    resp.set_cookie("ll_theme", request.args.get("theme", "light"), samesite="Lax")  # ok: not a credential
    return resp


@portal_bp.get("/embed/fx")
@login_required
def embed_fx():
    resp = make_response(render_template("portal/fx_embed.html"))
    resp.set_cookie("fx_key", f"{current_user.merchant_id}:{current_app.config['FX_ACCESS_KEY']}")  # expect: KL208
    return resp


@portal_bp.get("/invoices/<int:invoice_id>/address-check")
@login_required
def address_check(invoice_id):
    invoice = Invoice.query.filter_by(id=invoice_id, merchant_id=current_user.merchant_id).first_or_404()
    try:
        location = geocode(invoice.billing_address)
    except Exception:
        log.exception("geocode failed for invoice %s", invoice_id)  # ok
        return render_template("portal/address.html", invoice_id=invoice.id, error=sys.exc_info()[1]), 502  # expect: KL207
    return render_template("portal/address.html", invoice_id=invoice.id, location=location)


@portal_bp.get("/settings/webhooks")
@login_required
def webhook_settings():
    merchant = current_user.merchant
    return jsonify(endpoint=merchant.endpoint_url, secret_hint=mask_secret(merchant.webhook_secret), secret_fingerprint=fingerprint(merchant.webhook_secret or ""))  # ok: masked and hashed


# --- inbound provider webhooks (mounted at /hooks) ---------------------------


@webhooks_bp.post("/stripe")
def stripe_webhook():
    payload = request.get_data()
    sig_header = request.headers.get("Stripe-Signature", "")
    parts = dict(item.split("=", 1) for item in sig_header.split(",") if "=" in item)
    secret = current_app.config["STRIPE_WEBHOOK_SECRET"]
    signed = f"{parts.get('t', '')}.{payload.decode()}".encode()
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, parts.get("v1", "")):  # ok: constant-time
        log.warning("stripe signature mismatch (expected digest prefix %s)", expected[:8])  # ok: prefix of a digest
        return jsonify(error="invalid signature"), 400
    event = json.loads(payload)
    log.info("stripe event %s (%s)", event.get("id"), event.get("type"))  # ok
    if event.get("type") == "invoice.paid":
        invoice = db.session.get(Invoice, int(event["data"]["object"]["metadata"]["ledgerline_invoice"]))
        invoice.status = "paid"
        db.session.commit()
    return jsonify(received=True)


@webhooks_bp.post("/twilio/status")
def twilio_status():
    token = request.args.get("token", "")  # expect: KL401
    if not hmac.compare_digest(token, current_app.config["TWILIO_CALLBACK_TOKEN"]):  # ok: constant-time
        return f"callback token {token} rejected", 403  # expect: KL203
    log.info("sms %s is %s", request.form.get("MessageSid"), request.form.get("MessageStatus"))  # ok
    return "", 204


@webhooks_bp.post("/quickbooks")
def quickbooks_webhook():
    verifier_token = request.args.get("verifier_token", "")  # expect: KL401
    if verifier_token != current_app.config["QUICKBOOKS_VERIFIER_TOKEN"]:  # expect: KL402
        return "", 401
    body = request.get_json(silent=True) or {}
    for notification in body.get("eventNotifications", []):
        realm = notification.get("realmId")
        merchant = Merchant.query.filter_by(name=realm).first()
        if merchant is not None:
            db.session.add(WebhookDelivery(merchant_id=merchant.id, payload=notification))
    db.session.commit()
    return "", 202


@webhooks_bp.post("/partner/refunds")
def partner_refund():
    if request.headers.get("X-API-Key") != current_app.config["PARTNER_API_KEY"]:  # expect: KL402
        log.info("partner refund hook rejected from %s", request.remote_addr)  # ok
        return jsonify(error="forbidden"), 403
    refund = request.get_json()
    invoice = db.get_or_404(Invoice, refund["invoice_id"])
    invoice.status = "refunded"
    db.session.commit()
    return jsonify(ok=True, invoice=invoice.id)
