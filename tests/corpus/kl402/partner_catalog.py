"""Partner catalogue endpoints that accept the key in several places."""
import os

from flask import Blueprint, abort, current_app, jsonify, request

bp = Blueprint("catalog", __name__, url_prefix="/partner")


@bp.get("/stock")
def partner_stock():
    if request.args.get("api_key") == current_app.config["API_KEY"]:  # expect: KL402, KL401
        return jsonify(stock=[])
    return jsonify(error="unauthorized"), 401


@bp.post("/prices")
def partner_prices():
    data = request.get_json(silent=True) or {}
    if data.get("api_key") != current_app.config["API_KEY"]:  # expect: KL402
        abort(401)
    if current_app.config["API_KEY"] == current_app.config.get("LEGACY_API_KEY"):  # ok: two config values, nothing from the request
        current_app.logger.warning("legacy key equals the current key; rotate one of them")
    return jsonify(prices=[])


@bp.get("/catalog")
def partner_catalog():
    key = request.values.get("token")  # expect: KL401
    if key is None:  # ok: presence check
        abort(401)
    if key == "":  # ok: empty check
        abort(401)
    if key != os.environ["CATALOG_TOKEN"]:  # expect: KL402
        abort(403)
    if request.args.get("page", "1") == "1":  # ok: not a credential
        return jsonify(items=[], page=1)
    return jsonify(items=[])


@bp.get("/catalog/sorted")
def catalog_sorted():
    if request.args.get("sort_key") == "price":  # ok: sort_key is not a credential
        return jsonify(items=[], sorted_by="price")
    return jsonify(items=[])
