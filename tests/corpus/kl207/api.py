"""Orders API blueprint."""
import logging
import sys
import traceback

import requests
from flask import Blueprint, abort, g, jsonify, make_response, request

from .models import Order, db
from .services import OrderService, PaymentDeclined

bp = Blueprint("orders", __name__, url_prefix="/api/orders")
logger = logging.getLogger(__name__)


@bp.post("")
def create_order():
    try:
        order = OrderService.create(request.get_json())
    except ValueError as e:
        return jsonify(error=str(e)), 400  # expect: KL207
    except PaymentDeclined:
        return jsonify(error="payment declined"), 402  # ok: fixed message
    except Exception:
        logger.exception("order creation failed")  # ok: details go to the log
        return jsonify(error="could not create order", request_id=g.get("request_id")), 500  # ok: generic message
    return jsonify(id=order.id), 201


@bp.post("/<int:order_id>/pay")
def pay_order(order_id):
    order = db.get_or_404(Order, order_id)
    try:
        OrderService.pay(order)
    except requests.RequestException as exc:
        abort(502, description=str(exc))  # expect: KL207
    except PaymentDeclined as exc:
        return jsonify(error=f"payment failed: {exc}"), 402  # expect: KL207
    return jsonify(status="paid")


@bp.post("/<int:order_id>/ship")
def ship_order(order_id):
    order = db.get_or_404(Order, order_id)
    try:
        OrderService.ship(order)
    except Exception:
        return jsonify(error="".join(traceback.format_exception(*sys.exc_info()))), 500  # expect: KL207
    return jsonify(status="shipped")


@bp.post("/<int:order_id>/cancel")
def cancel_order(order_id):
    order = db.get_or_404(Order, order_id)
    try:
        OrderService.cancel(order)
    except Exception as exc:
        message = str(exc)
        logger.warning("cancel of %s failed: %s", order_id, message)  # ok: logged only
        return jsonify(error="could not cancel order"), 409  # ok: generic message
    return jsonify(status="cancelled")


@bp.get("/<int:order_id>/invoice")
def invoice(order_id):
    order = db.get_or_404(Order, order_id)
    try:
        pdf = OrderService.render_invoice(order)
    except Exception:
        detail = traceback.format_exc()
        resp = make_response(detail, 500)  # expect: KL207
        resp.mimetype = "text/plain"
        return resp
    resp = make_response(pdf)
    resp.mimetype = "application/pdf"
    return resp


@bp.get("/export")
def export_orders():
    try:
        rows = OrderService.export(request.args.get("since"))
    except Exception:
        logger.error("export failed\n%s", traceback.format_exc())  # ok: the traceback goes to the log
        abort(500, description="export failed")  # ok: generic description
    return jsonify(rows=rows)
