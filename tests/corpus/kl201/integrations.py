"""Stripe and OpenAI integrations."""
import logging
import os

import openai
import stripe
from flask import Blueprint, jsonify, request

from .settings import settings

bp = Blueprint("integrations", __name__, url_prefix="/integrations")
logger = logging.getLogger(__name__)

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]
STRIPE_PUBLISHABLE_KEY = os.environ["STRIPE_PUBLISHABLE_KEY"]
DB_USER = os.environ["DB_USER"]
DB_PASSWORD = os.environ["DB_PASSWORD"]


def redact(value):
    return "***" if value else "(unset)"


def charge_customer(customer_id, amount):
    try:
        return stripe.PaymentIntent.create(customer=customer_id, amount=amount, currency="eur")
    except stripe.error.AuthenticationError:
        logger.exception(f"Stripe auth failed with key {stripe.api_key}")  # expect: KL201
        logger.exception("Stripe auth failed; check the STRIPE_SECRET_KEY variable")  # ok: names the variable only
        raise


def connect_db():
    logging.info("connecting with %s", {"user": DB_USER, "password": DB_PASSWORD})  # expect: KL201
    logging.info("connecting as %s, password %s", DB_USER, redact(DB_PASSWORD))  # ok: redacted
    logging.warning("retrying with password " + str(DB_PASSWORD))  # expect: KL201


@bp.get("/stripe/public")
def stripe_public():
    logger.info("serving publishable key %s", STRIPE_PUBLISHABLE_KEY)  # ok: publishable key is public
    return jsonify(publishable_key=STRIPE_PUBLISHABLE_KEY)


@bp.post("/summaries")
def summarize():
    text = request.get_json()["text"]
    logger.debug("openai key=%s", settings.OPENAI_API_KEY)  # expect: KL201
    logger.debug("openai model=%s max_tokens=%d", settings.OPENAI_MODEL, settings.MAX_TOKENS)  # ok: not secrets
    client = openai.OpenAI(api_key=settings.OPENAI_API_KEY)
    try:
        result = client.chat.completions.create(model=settings.OPENAI_MODEL, messages=[{"role": "user", "content": text}])
    except openai.AuthenticationError:
        logger.error("Invalid API key provided")  # ok: a fixed message
        return jsonify(error="summaries unavailable"), 503
    return jsonify(summary=result.choices[0].message.content)
