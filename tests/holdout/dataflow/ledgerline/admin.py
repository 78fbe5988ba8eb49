"""Back-office views for Ledgerline operators, mounted at /admin."""
import logging
import os
import platform
import secrets

from flask import Blueprint, Response, current_app, jsonify, make_response, render_template, request
from flask_login import current_user

from . import tasks
from .extensions import db
from .models import Customer, Merchant, User
from .security import admin_required, fingerprint, hash_api_key, mask_secret

admin_bp = Blueprint("admin", __name__, template_folder="templates/admin")
log = logging.getLogger("ledgerline.admin")

SAFE_CONFIG_KEYS = ("SERVICE_NAME", "LOG_LEVEL", "EXPORT_DIR", "STATEMENTS_CDN", "CORS_ORIGINS")


@admin_bp.before_request
def restrict_to_operators():
    if not current_user.is_authenticated or not current_user.is_admin:
        return jsonify(error="forbidden"), 403
    log.info("admin %s %s by user %s", request.method, request.path, current_user.id)  # ok: no secret
    log.debug("admin request headers: %s", request.headers)  # expect: KL202


@admin_bp.get("/")
def index():
    return render_template("admin/index.html", merchants=Merchant.query.count(), customers=Customer.query.count())


@admin_bp.get("/debug/headers")
def debug_headers():
    return jsonify(dict(request.headers))  # expect: KL204


@admin_bp.get("/debug/request")
def debug_request():
    safe_headers = {name: request.headers.get(name) for name in ("User-Agent", "Accept", "X-Request-Id", "X-Forwarded-For")}
    return jsonify(method=request.method, path=request.path, headers=safe_headers)  # ok: safe header subset


@admin_bp.get("/debug/environ")
def debug_environ():
    return Response(repr(request.environ), mimetype="text/plain")  # expect: KL204


@admin_bp.get("/debug/config")
def debug_config():
    return render_template("admin/config.html", config_items=current_app.config)  # expect: KL204


@admin_bp.get("/debug/config/safe")
def debug_config_safe():
    visible = {k: current_app.config.get(k) for k in SAFE_CONFIG_KEYS}
    return render_template("admin/config.html", config_items=visible)  # ok: allow-listed, non-secret keys only


@admin_bp.get("/debug/process")
def debug_process():
    return {"pid": os.getpid(), "python": platform.python_version(), "env": dict(os.environ)}  # expect: KL204


@admin_bp.get("/debug/process/env-names")
def debug_env_names():
    return {"pid": os.getpid(), "env_names": sorted(os.environ.keys())}  # ok: variable names only


@admin_bp.get("/debug/globals")
def debug_globals():
    return make_response(str(globals()), 200, {"Content-Type": "text/plain"})  # expect: KL204


@admin_bp.get("/integrations/stripe")
@admin_required
def stripe_status():
    key = current_app.config["STRIPE_SECRET_KEY"]
    return jsonify(mode="live" if key.startswith("sk_live_") else "test", key=key)  # expect: KL203


@admin_bp.get("/integrations/stripe/summary")
@admin_required
def stripe_summary():
    key = current_app.config["STRIPE_SECRET_KEY"]
    return jsonify(mode="live" if key.startswith("sk_live_") else "test", key_hint=mask_secret(key), key_fingerprint=fingerprint(key))  # ok: masked and hashed


@admin_bp.get("/service-token/check")
@admin_required
def service_token_check():
    resp = make_response(jsonify(ok=True))
    resp.headers["X-Service-Token"] = current_app.config["INTERNAL_SERVICE_TOKEN"]  # expect: KL203
    resp.headers["X-Service-Token-Fingerprint"] = fingerprint(current_app.config["INTERNAL_SERVICE_TOKEN"])  # ok: hash
    return resp


@admin_bp.post("/merchants/<int:merchant_id>/api-keys")
@admin_required
def issue_api_key(merchant_id):
    merchant = db.get_or_404(Merchant, merchant_id)
    raw_key = current_app.config["API_KEY_PREFIX"] + secrets.token_urlsafe(32)
    merchant.api_key_hash = hash_api_key(raw_key)
    db.session.commit()
    log.info("issued API key %s for merchant %s", fingerprint(raw_key), merchant.id)  # ok: fingerprint
    resp = jsonify(merchant=merchant.id, api_key=raw_key, note="Shown once. Store it now.")  # ok: issuing a fresh key once; no-store below
    resp.headers["Cache-Control"] = "no-store"
    return resp


@admin_bp.post("/merchants/<int:merchant_id>/rotate-webhook-secret")
@admin_required
def rotate_webhook_secret(merchant_id):
    db.get_or_404(Merchant, merchant_id)
    tasks.rotate_webhook_secret(merchant_id)
    return jsonify(rotated=True, merchant=merchant_id)


@admin_bp.get("/users/<int:user_id>")
@admin_required
def user_detail(user_id):
    user = db.get_or_404(User, user_id)
    return jsonify(id=user.id, merchant=user.merchant_id, is_admin=user.is_admin, password_hash=user.password_hash)  # expect: KL210


@admin_bp.get("/users/<int:user_id>/summary")
@admin_required
def user_summary(user_id):
    user = db.get_or_404(User, user_id)
    return jsonify(id=user.id, merchant=user.merchant_id, is_admin=user.is_admin, password_set=user.password_hash is not None)  # ok: boolean


@admin_bp.get("/customers/<int:customer_id>/raw")
@admin_required
def customer_raw(customer_id):
    customer = db.get_or_404(Customer, customer_id)
    return jsonify({k: v for k, v in vars(customer).items() if not k.startswith("_")})  # expect: KL210


@admin_bp.get("/customers/<int:customer_id>/identity")
@admin_required
def customer_identity(customer_id):
    customer = db.get_or_404(Customer, customer_id)
    return render_template("admin/identity.html", name=customer.name, dob=customer.dob, kyc=customer.kyc_verified_at)  # expect: KL210


@admin_bp.post("/exports/sidecar")
@admin_required
def export_sidecar():
    tasks.write_sidecar_env(os.path.join(current_app.config["EXPORT_DIR"], "sidecar.env"))
    return jsonify(written=True)
