"""Per-route CORS: flask-cors decorators and hand-written headers."""
from flask import Blueprint, Response, current_app, jsonify, make_response, request
from flask_cors import cross_origin
from flask_login import current_user, login_required

from .extensions import ALLOWED_ORIGINS
from .models import Cart, Notification, Product, Wishlist

views_bp = Blueprint("views", __name__)
legacy_bp = Blueprint("legacy", __name__)


@views_bp.get("/cart")
@cross_origin(supports_credentials=True)  # expect: KL302
@login_required
def cart():
    return jsonify(Cart.for_user(current_user.id).as_dict())


@views_bp.post("/cart/items")
@cross_origin(origins="*", supports_credentials=True)  # expect: KL302
@login_required
def add_cart_item():
    Cart.for_user(current_user.id).add(request.get_json()["product_id"])
    return jsonify(ok=True)


@views_bp.get("/wishlist")
@cross_origin(origins=["*"], supports_credentials=True)  # expect: KL302
@login_required
def wishlist():
    return jsonify(Wishlist.for_user(current_user.id).as_dict())


@views_bp.get("/notifications")
@cross_origin(supports_credentials=True, allow_headers=["Content-Type", "Authorization"])  # expect: KL302
@login_required
def notifications():
    return jsonify([n.as_dict() for n in Notification.unread(current_user.id)])


@views_bp.post("/notifications/read")
@cross_origin(send_wildcard=False, supports_credentials=True, methods=["POST", "OPTIONS"])  # expect: KL302
@login_required
def mark_read():
    Notification.mark_all_read(current_user.id)
    return jsonify(ok=True)


@views_bp.get("/catalog")
@cross_origin()  # ok: any origin, without credentials: public catalog
def catalog():
    return jsonify([p.as_dict() for p in Product.query.limit(100)])


@views_bp.get("/catalog/featured")
@cross_origin(origins="*")  # ok: wildcard without credentials
def featured():
    return jsonify([p.as_dict() for p in Product.featured()])


@views_bp.get("/profile")
@cross_origin(origins=["https://app.widgets.example"], supports_credentials=True)  # ok: one listed origin
@login_required
def profile():
    return jsonify(id=current_user.id, name=current_user.name)


@views_bp.get("/profile/avatar")
@cross_origin(origins="https://app.widgets.example", supports_credentials=True)  # ok: one fixed origin
@login_required
def avatar():
    return jsonify(url=current_user.avatar_url)


@views_bp.get("/prices")
@cross_origin(supports_credentials=False)  # ok: credentials off
def prices():
    return jsonify({p.id: str(p.price) for p in Product.query.limit(100)})


@views_bp.get("/me/orders/recent")
@login_required
def recent_orders():
    origin = request.headers["Origin"]
    resp = jsonify(current_user.recent_orders())
    resp.headers["Access-Control-Allow-Origin"] = origin  # expect: KL302
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


@views_bp.get("/me/addresses")
@login_required
def addresses():
    resp = make_response(jsonify(current_user.addresses()))
    resp.headers["Access-Control-Allow-Origin"] = request.origin  # expect: KL302
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


@views_bp.get("/me/payment-methods")
@login_required
def payment_methods():
    body = jsonify(current_user.payment_method_labels()).get_data()
    return Response(body, mimetype="application/json", headers={"Access-Control-Allow-Origin": request.environ.get("HTTP_ORIGIN", ""), "Access-Control-Allow-Credentials": "true"})  # expect: KL302


@views_bp.get("/me/settings")
@login_required
def settings():
    resp = jsonify(current_user.settings())
    resp.headers.set("Access-Control-Allow-Origin", request.headers.get("Origin"))  # expect: KL302
    resp.headers.set("Access-Control-Allow-Credentials", "true")
    return resp


@views_bp.get("/me/badges")
@login_required
def badges():
    origin = request.headers.get("Origin", "")
    resp = jsonify(current_user.badges())
    if origin in ALLOWED_ORIGINS:
        resp.headers["Access-Control-Allow-Origin"] = origin  # ok: reflected only when allow-listed
        resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


@views_bp.get("/me/theme")
@login_required
def theme():
    resp = jsonify(theme=current_user.theme)
    resp.headers["Access-Control-Allow-Origin"] = current_app.config["FRONTEND_ORIGIN"]  # ok: a fixed origin from config
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    return resp


@views_bp.get("/stock/<int:product_id>")
def stock(product_id):
    resp = jsonify(in_stock=Product.query.get_or_404(product_id).in_stock)
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # ok: reflected, but no credentials allowed: public data
    return resp


@views_bp.get("/stock/summary")
def stock_summary():
    resp = jsonify(products=Product.query.count())
    resp.headers["Access-Control-Allow-Origin"] = "*"  # ok: wildcard, no credentials
    return resp


@legacy_bp.after_request
def legacy_cors(response):
    origin = request.headers.get("Origin", "")
    if origin.endswith(".widgets.example") and origin.startswith("https://"):
        response.headers["Access-Control-Allow-Origin"] = origin  # ok: reflected only for our own https subdomains
        response.headers["Access-Control-Allow-Credentials"] = "true"
    return response


@legacy_bp.get("/orders")
@login_required
def legacy_orders():
    return jsonify(current_user.recent_orders())
