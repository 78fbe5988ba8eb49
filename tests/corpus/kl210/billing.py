"""Billing API (flask-restx): customers, stored cards and invoices."""
from flask import Blueprint, abort
from flask_login import current_user, login_required
from flask_restx import Api, Namespace, Resource, fields

from .models import Card, Customer, Invoice, db

bp = Blueprint("billing_api", __name__, url_prefix="/api/billing")
api = Api(bp, doc="/docs")
ns = Namespace("customers")
api.add_namespace(ns)

customer_model = ns.model("Customer", {
    "id": fields.Integer,
    "name": fields.String,
    "email": fields.String,  # ok: a contact address, not in the sensitive-PII list
    "tax_id": fields.String,  # expect: KL210
    "country": fields.String,  # ok: not personal
})

customer_summary_model = ns.model("CustomerSummary", {
    "id": fields.Integer,
    "name": fields.String,
    "has_tax_id": fields.Boolean(attribute=lambda c: bool(c.tax_id)),  # ok: a bool
})


def mask_card(number):
    return "**** " + number[-4:]


@ns.route("/<int:customer_id>")
class CustomerResource(Resource):
    method_decorators = [login_required]

    @ns.marshal_with(customer_model)
    def get(self, customer_id):
        return db.get_or_404(Customer, customer_id)


@ns.route("/<int:customer_id>/summary")
class CustomerSummary(Resource):
    method_decorators = [login_required]

    @ns.marshal_with(customer_summary_model)
    def get(self, customer_id):
        return db.get_or_404(Customer, customer_id)


@ns.route("/<int:customer_id>/cards")
class CardList(Resource):
    method_decorators = [login_required]

    def get(self, customer_id):
        cards = Card.query.filter_by(customer_id=customer_id).all()
        return [{"id": c.id, "brand": c.brand, "card_number": c.number, "exp": f"{c.exp_month}/{c.exp_year}"} for c in cards]  # expect: KL210


@ns.route("/<int:customer_id>/cards/masked")
class MaskedCardList(Resource):
    method_decorators = [login_required]

    def get(self, customer_id):
        cards = Card.query.filter_by(customer_id=customer_id).all()
        return [{"id": c.id, "brand": c.brand, "last4": c.number[-4:], "display": mask_card(c.number)} for c in cards]  # ok: short slice and mask


@ns.route("/<int:customer_id>/cards/<int:card_id>")
class CardDetail(Resource):
    method_decorators = [login_required]

    def get(self, customer_id, card_id):
        card = db.get_or_404(Card, card_id)
        return {
            "id": card.id,
            "pan": card.pan,  # expect: KL210
            "cvv": card.cvv,  # expect: KL210
            "brand": card.brand,  # ok: the card brand
            "expires": f"{card.exp_month:02d}/{card.exp_year}",  # ok: expiry date
        }


@ns.route("/invoices/<int:invoice_id>")
class InvoiceResource(Resource):
    method_decorators = [login_required]

    def get(self, invoice_id):
        inv = db.get_or_404(Invoice, invoice_id)
        if inv.customer_id != current_user.customer_id:
            abort(404)
        return {"id": inv.id, "total": str(inv.total), "customer_tax_id": inv.customer.tax_id}  # expect: KL210
