"""Reseller partner API (mounted at /partner).

Partners batch-sync nightly and blew through the default limits, so the whole
blueprint is exempted from rate limiting in create_app().
"""
import hashlib
import hmac
from datetime import timedelta

from flask import Blueprint, abort, current_app, jsonify, request
from flask_jwt_extended import create_access_token
from werkzeug.security import check_password_hash

from .extensions import db
from .models import Order, Partner, Tenant

partner_bp = Blueprint("partner", __name__)


def _key_matches(partner, presented):
    return hmac.compare_digest(hashlib.sha256(presented.encode()).hexdigest(), partner.key_digest or "")


@partner_bp.after_request
def partner_cors(response):
    origin = request.headers.get("Origin")
    if origin:
        response.headers["Access-Control-Allow-Origin"] = origin  # expect: KL302
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Vary"] = "Origin"
    return response


@partner_bp.get("/catalog")
def catalog():  # ok: public catalogue, verifies nothing
    return jsonify(skus=[{"sku": "team-annual", "seats": 50}, {"sku": "starter-monthly", "seats": 5}])


@partner_bp.post("/login")
def partner_login():  # expect: KL404, KL405
    partner = Partner.query.filter_by(login=request.form.get("login", "")).first()
    if partner is None or not check_password_hash(partner.password_hash, request.form.get("password", "")):
        return jsonify(error="invalid credentials"), 401
    return jsonify(access_token=create_access_token(identity=f"partner:{partner.id}", expires_delta=timedelta(hours=8)))


@partner_bp.post("/orders")
def create_order():  # expect: KL404
    partner = db.get_or_404(Partner, request.headers.get("X-Partner-Id", type=int))
    presented = request.headers.get("X-Partner-Key", "")
    if not hmac.compare_digest(hashlib.sha256(presented.encode()).hexdigest(), partner.key_digest or ""):
        abort(401)
    body = request.get_json(force=True)
    order = Order(partner_id=partner.id, tenant_id=body["tenant_id"], sku=body["sku"], seats=body.get("seats", 1))
    db.session.add(order)
    db.session.commit()
    return jsonify(order=order.id), 201


@partner_bp.get("/accounts/<int:tenant_id>")
def account(tenant_id):  # expect: KL404
    partner = db.get_or_404(Partner, request.headers.get("X-Partner-Id", type=int))
    if not hmac.compare_digest(hashlib.sha256(request.headers.get("X-Partner-Key", "").encode()).hexdigest(), partner.key_digest or ""):
        abort(401)
    tenant = db.get_or_404(Tenant, tenant_id)
    return jsonify(id=tenant.id, name=tenant.name, plan=tenant.plan)


@partner_bp.post("/verify")
def verify_partner_key():  # expect: KL404
    partner = db.get_or_404(Partner, request.headers.get("X-Partner-Id", type=int))
    presented = request.headers.get("X-Partner-Key", "")
    return jsonify(valid=hmac.compare_digest(hashlib.sha256(presented.encode()).hexdigest(), partner.key_digest or ""))


@partner_bp.get("/orders/<int:order_id>")
def order_status(order_id):  # expect: KL404
    partner = db.get_or_404(Partner, request.headers.get("X-Partner-Id", type=int))
    if not _key_matches(partner, request.headers.get("X-Partner-Key", "")):
        abort(401)
    order = Order.query.filter_by(id=order_id, partner_id=partner.id).first_or_404()
    return jsonify(id=order.id, sku=order.sku, seats=order.seats)
