"""Partner catalogue API: v1 takes keys in the query string, v2 in headers."""
from flask import Blueprint, abort, g, jsonify, request

from .models import Merchant, Partner, Product, Webhook

bp = Blueprint("partner_v1", __name__, url_prefix="/partner/v1")
bp_v2 = Blueprint("partner_v2", __name__, url_prefix="/partner/v2")


@bp.before_request
def authenticate_v1():
    api_key = request.args.get("api_key")  # expect: KL401
    g.partner = Partner.authenticate(api_key)
    if g.partner is None:
        abort(401)


@bp_v2.before_request
def authenticate_v2():
    api_key = request.headers.get("X-API-Key")  # ok: a header, not the URL
    g.partner = Partner.authenticate(api_key)
    if g.partner is None:
        abort(401)


@bp.get("/products")
def list_products():
    page = request.args.get("page", 1, type=int)  # ok: paging
    per_page = request.args.get("per_page", 50, type=int)  # ok: paging
    sort_key = request.args.get("sort_key", "sku")  # ok: a sort key, not a credential
    items = Product.sorted_by(sort_key).paginate(page=page, per_page=per_page)
    return jsonify(products=[p.to_dict() for p in items.items])


@bp.get("/orders")
def list_orders():
    merchant_token = request.args.get("merchant_token")  # expect: KL401
    merchant = Merchant.for_token(g.partner, merchant_token)
    if merchant is None:
        abort(403)
    return jsonify(orders=[o.to_dict() for o in merchant.orders])


@bp_v2.get("/orders")
def list_orders_v2():
    merchant_token = request.headers.get("X-Merchant-Token")  # ok: a header
    merchant = Merchant.for_token(g.partner, merchant_token)
    if merchant is None:
        abort(403)
    return jsonify(orders=[o.to_dict() for o in merchant.orders])


@bp.get("/legacy/stock")
def legacy_stock():
    partner = Partner.authenticate(request.values.get("apikey"))  # expect: KL401
    if partner is None:
        abort(401)
    return jsonify(stock=Product.stock_levels(sku=request.values.get("sku")))


@bp.get("/stock/<sku>")
def stock(sku):
    partner = Partner.authenticate(request.args["apiKey"])  # expect: KL401
    if partner is None:
        abort(401)
    return jsonify(sku=sku, level=Product.stock_level(sku))


@bp_v2.get("/webhooks")
def list_webhooks():
    key_name = request.args.get("key_name")  # ok: the name of a signing key, not the key
    token_type = request.args.get("token_type", "bearer")  # ok: a token type
    return jsonify(webhooks=[w.to_dict() for w in Webhook.for_partner(g.partner, key_name=key_name, token_type=token_type)])


@bp_v2.post("/products")
def create_product():
    body = request.get_json()
    Partner.authenticate(body.get("api_key"))  # ok: the JSON body, not the URL
    return jsonify(status="accepted"), 202
