"""Checkout and refunds through Stripe."""
import os

import stripe
from flask import Blueprint, abort, jsonify, request

bp = Blueprint("payments", __name__, url_prefix="/payments")

stripe.api_key = "sk_live_MrxgTmXoTwD3zcIu8OKGvNkf"  # expect: KL101
stripe.api_version = "2024-06-20"  # ok: API version string
STRIPE_RESTRICTED_KEY = "rk_live_AfXNwztOYTXW8t4guPaQyuTs"  # expect: KL101
STRIPE_PUBLISHABLE_KEY = "pk_live_BDGgIRm3AKGQEgjIiEY380xJ"  # ok: publishable keys are public by design
STRIPE_WEBHOOK_SECRET = os.getenv("STRIPE_WEBHOOK_SECRET", "whsec_3kT9vQ2mXp8LzR4nB7yW1cFd")  # expect: KL101
STRIPE_SIGNATURE_HEADER = "Stripe-Signature"  # ok: header name
CURRENCY = "eur"


@bp.route("/checkout", methods=["POST"])
def checkout():
    cart = request.get_json(force=True)
    session = stripe.checkout.Session.create(
        mode="payment",
        line_items=cart["items"],
        success_url="https://shop.example/thanks",
        cancel_url="https://shop.example/cart",
    )
    return jsonify(id=session.id, publishable_key=STRIPE_PUBLISHABLE_KEY)  # ok: the publishable key is meant for the browser


@bp.route("/webhook", methods=["POST"])
def webhook():
    signature = request.headers.get(STRIPE_SIGNATURE_HEADER, "")
    try:
        event = stripe.Webhook.construct_event(request.data, signature, STRIPE_WEBHOOK_SECRET)
    except stripe.error.SignatureVerificationError:
        abort(400)
    if event["type"] == "charge.refunded":
        pass
    return jsonify(received=True)


def refund(charge_id, api_key="sk_live_XhXRNfQshHPDfocpic1nVpBr"):  # expect: KL101
    client = stripe.StripeClient(api_key)
    return client.refunds.create(params={"charge": charge_id})


def refund_with_env_key(charge_id, api_key=None):  # ok: None default
    client = stripe.StripeClient(api_key or os.environ["STRIPE_API_KEY"])
    return client.refunds.create(params={"charge": charge_id})
