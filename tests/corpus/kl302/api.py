"""Blueprints of the SPA backend. Each sets its own CORS policy on top of the
app-wide one (flask-cors supports ``CORS(blueprint, ...)``)."""
from flask import Blueprint, jsonify, request
from flask_cors import CORS
from flask_login import current_user, login_required

from .models import Invoice, Order, Product, Report

account_bp = Blueprint("account", __name__)
billing_bp = Blueprint("billing", __name__)
orders_bp = Blueprint("orders", __name__)
public_bp = Blueprint("public", __name__)
reports_bp = Blueprint("reports", __name__)
search_bp = Blueprint("search", __name__)

CORS(account_bp, supports_credentials=True)  # expect: KL302
CORS(orders_bp, origins="*", supports_credentials=True)  # expect: KL302
CORS(billing_bp, origins=["https://app.widgets.example"], supports_credentials=True)  # ok: explicit origin list
CORS(public_bp)  # ok: any origin, but without credentials
CORS(reports_bp, resources={r"/reports/*": {"origins": ["https://app.widgets.example"]}, r"/reports/public/*": {"origins": "*"}}, supports_credentials=True)  # expect: KL302
CORS(search_bp, resources={r"/search*": {"origins": "*", "supports_credentials": True}})  # expect: KL302


@account_bp.get("/account")
@login_required
def account():
    return jsonify(id=current_user.id, email=current_user.email)


@orders_bp.get("/orders")
@login_required
def orders():
    return jsonify([{"id": o.id, "total": str(o.total)} for o in Order.query.filter_by(user_id=current_user.id)])


@billing_bp.get("/invoices")
@login_required
def invoices():
    return jsonify([{"id": i.id, "amount": str(i.amount)} for i in Invoice.query.filter_by(user_id=current_user.id)])


@public_bp.get("/products")
def products():
    return jsonify([{"id": p.id, "name": p.name} for p in Product.query.limit(50)])


@reports_bp.get("/reports/<int:report_id>")
@login_required
def report(report_id):
    return jsonify(Report.for_user(current_user.id, report_id).summary())


@search_bp.get("/search")
@login_required
def search():
    return jsonify(hits=Product.search(request.args.get("q", ""), owner=current_user.id))
