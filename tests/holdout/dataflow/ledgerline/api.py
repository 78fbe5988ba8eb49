"""Merchant-facing REST API (flask-restx), mounted at /api/v1."""
import logging
import os
import traceback

from flask import Blueprint, abort, current_app, request
from flask_restx import Api, Namespace, Resource, fields

from . import tasks
from .extensions import db
from .integrations import IntegrationError
from .integrations.vendors import FxRatesClient, StripeClient
from .models import Customer, Invoice, Merchant, PaymentMethod
from .security import hash_api_key, mask_secret, partner_key_valid, service_token_required

log = logging.getLogger("ledgerline.api")

api_bp = Blueprint("api", __name__)
api = Api(api_bp, title="Ledgerline API", version="1.0", doc="/docs", authorizations={"apikey": {"type": "apiKey", "in": "header", "name": "X-Ledgerline-Key"}}, security="apikey")  # ok: describes the auth scheme, holds no key

customers_ns = Namespace("customers", description="Customer records")
invoices_ns = Namespace("invoices", description="Invoices and payments")
payments_ns = Namespace("payment-methods", description="Stored payment methods")
partner_ns = Namespace("partner", description="Settlement feed for the acquiring partner")
jobs_ns = Namespace("jobs", description="Hooks called by the scheduler")
for _ns in (customers_ns, invoices_ns, payments_ns, partner_ns, jobs_ns):
    api.add_namespace(_ns)

customer_out = customers_ns.model("Customer", {
    "id": fields.Integer(readonly=True),
    "name": fields.String,
    "country": fields.String,
    "dob": fields.Date,  # expect: KL210
})

customer_in = customers_ns.model("CustomerInput", {
    "name": fields.String(required=True),
    "country": fields.String,
    "tax_id": fields.String(description="Stored encrypted, never returned"),  # ok: input model, never part of a response
})


def current_merchant():
    """Resolve the calling merchant from its API key (header, or the legacy query parameter)."""
    key = request.headers.get("X-Ledgerline-Key") or request.args.get("api_key")  # expect: KL401
    if not key:
        abort(401)
    merchant = Merchant.query.filter_by(api_key_hash=hash_api_key(key)).first()
    if merchant is None:
        raise PermissionError("no merchant for API key " + key)  # expect: KL206
    return merchant


def _payment_method(pm_id):
    merchant = current_merchant()
    pm = PaymentMethod.query.get_or_404(pm_id)
    if pm.customer.merchant_id != merchant.id:
        abort(404)
    return pm


@api.route("/me")
class Me(Resource):
    def get(self):
        merchant = current_merchant()
        supplied = request.headers.get("X-Ledgerline-Key", "")
        return {"id": merchant.id, "name": merchant.name, "key_hint": mask_secret(supplied)}  # ok: masked


@customers_ns.route("/<int:customer_id>")
class CustomerResource(Resource):
    @customers_ns.marshal_with(customer_out)
    def get(self, customer_id):
        merchant = current_merchant()
        return Customer.query.filter_by(id=customer_id, merchant_id=merchant.id).first_or_404()  # ok: serialised through customer_out, whose dob field carries the label

    @customers_ns.expect(customer_in, validate=True)
    def put(self, customer_id):
        merchant = current_merchant()
        customer = Customer.query.filter_by(id=customer_id, merchant_id=merchant.id).first_or_404()
        body = request.get_json()
        customer.name = body["name"]
        customer.country = body.get("country", customer.country)
        if body.get("tax_id"):
            customer.tax_id = body["tax_id"]
        db.session.commit()
        return {"id": customer.id, "updated": True, "tax_id_on_file": customer.tax_id is not None}  # ok: boolean, not the tax id


@customers_ns.route("/<int:customer_id>/kyc")
class CustomerKyc(Resource):
    def get(self, customer_id):
        merchant = current_merchant()
        c = Customer.query.filter_by(id=customer_id, merchant_id=merchant.id).first_or_404()
        return {
            "id": c.id,
            "name": c.name,
            "ssn": c.ssn,  # expect: KL210
            "tax_id": c.tax_id,  # expect: KL210
            "verified": c.kyc_verified_at is not None,  # ok: boolean
        }


@customers_ns.route("/export")
class CustomerExport(Resource):
    def get(self):
        key = request.values["apikey"]  # expect: KL401
        merchant = Merchant.query.filter_by(api_key_hash=hash_api_key(key)).first()
        if merchant is None:
            return {"message": "unknown API key", "key": key}, 401  # expect: KL203
        rows = Customer.query.filter_by(merchant_id=merchant.id).all()
        return [{k: v for k, v in c.__dict__.items() if not k.startswith("_")} for c in rows]  # expect: KL210


@invoices_ns.route("/<int:invoice_id>")
class InvoiceResource(Resource):
    def get(self, invoice_id):
        merchant = current_merchant()
        inv = Invoice.query.filter_by(id=invoice_id, merchant_id=merchant.id).first_or_404()
        return {"id": inv.id, "amount_cents": inv.amount_cents, "currency": inv.currency, "status": inv.status, "customer": inv.customer_id}  # ok: no PII, no secret


@invoices_ns.route("/<int:invoice_id>/pay")
class InvoicePay(Resource):
    def post(self, invoice_id):
        merchant = current_merchant()
        inv = Invoice.query.filter_by(id=invoice_id, merchant_id=merchant.id).first_or_404()
        client = StripeClient(current_app.config["STRIPE_SECRET_KEY"])
        try:
            charge = client.create_charge(inv.amount_cents, inv.currency, f"cus_{inv.customer_id}")
        except IntegrationError as e:
            log.warning("charge for invoice %s failed: %s", inv.id, type(e).__name__)  # ok: class name only
            return {"status": "failed", "message": str(e)}, 502  # expect: KL207
        inv.status = "paid"
        db.session.commit()
        return {"status": "paid", "charge": charge.get("id")}


@invoices_ns.route("/<int:invoice_id>/fx")
class InvoiceFx(Resource):
    def get(self, invoice_id):
        merchant = current_merchant()
        inv = Invoice.query.filter_by(id=invoice_id, merchant_id=merchant.id).first_or_404()
        try:
            quotes = FxRatesClient(current_app.config["FX_ACCESS_KEY"]).latest(source=inv.currency)
        except Exception:
            log.exception("fx lookup failed for invoice %s", inv.id)  # ok: operator log
            return {"message": "Exchange rates are temporarily unavailable."}, 503  # ok: generic message
        return {"invoice": inv.id, "quotes": quotes}  # ok: provider data, not the key


@payments_ns.route("/<int:pm_id>")
class PaymentMethodResource(Resource):
    def get(self, pm_id):
        pm = _payment_method(pm_id)
        return {"id": pm.id, "brand": pm.brand, "last4": pm.card_last4, "exp": f"{pm.exp_month:02d}/{pm.exp_year}"}  # ok: masked card details


@payments_ns.route("/<int:pm_id>/reveal")
class PaymentMethodReveal(Resource):
    def post(self, pm_id):
        pm = _payment_method(pm_id)
        log.info("card reveal for payment method %s", pm.id)  # ok
        return {"id": pm.id, "card_number": pm.card_number}, 200  # expect: KL210


@partner_ns.route("/settlements")
class PartnerSettlements(Resource):
    def get(self):
        access_token = request.args.get("access_token", "")  # expect: KL401
        if access_token != current_app.config["PARTNER_API_KEY"]:  # expect: KL402
            log.warning("partner auth failed with token %s", access_token)  # expect: KL201
            abort(401, description=f"access token {access_token} is not valid")  # expect: KL203
        since = request.args.get("since", "1970-01-01")
        rows = Invoice.query.filter(Invoice.status == "paid", Invoice.created_at >= since).all()
        return {"since": since, "settlements": [{"invoice": r.id, "amount_cents": r.amount_cents, "currency": r.currency} for r in rows]}


@partner_ns.route("/v2/settlements")
class PartnerSettlementsV2(Resource):
    def get(self):
        if not partner_key_valid(request.headers.get("X-API-Key")):  # ok: header, constant-time check in security.py
            log.info("partner v2 auth failed from %s", request.remote_addr)  # ok
            abort(401, description="invalid partner credentials")  # ok: generic description
        since = request.args.get("since", "1970-01-01")
        rows = Invoice.query.filter(Invoice.status == "paid", Invoice.created_at >= since).all()
        return {"since": since, "count": len(rows)}


@jobs_ns.route("/exports/merchants")
class MerchantExportJob(Resource):
    method_decorators = [service_token_required]

    def post(self):
        path = os.path.join(current_app.config["EXPORT_DIR"], "merchants.csv")
        try:
            tasks.export_merchants(path)
        except Exception as exc:
            log.exception("merchant export failed")  # ok
            return {"status": "failed", "error": "".join(traceback.format_exception(exc))}, 500  # expect: KL207
        return {"status": "done", "path": path}


@jobs_ns.route("/echo")
class Echo(Resource):
    method_decorators = [service_token_required]

    def get(self):
        print(str(request.headers))  # expect: KL202
        return {"headers": dict(request.headers), "remote": request.remote_addr}  # expect: KL204
