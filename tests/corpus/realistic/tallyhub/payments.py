"""Payments gateway client (Stripe-compatible REST API) and the checkout endpoints."""
import logging as lg
import sys
import time
from datetime import datetime, timedelta, timezone

import jwt
import requests
from flask import Blueprint, current_app
from flask import jsonify as j
from flask_login import current_user, login_required

from .auth import internal_only

_log = lg.getLogger(__name__)
bp = Blueprint("billing", __name__)

DEFAULT_TIMEOUT = 15
GATEWAY_URL = "https://api.stripe.com/v1"
LEGACY_RESTRICTED_KEY = "rk_live_xYbcgz1wTcZW7GcIRzBA1I3j"  # expect: KL101


class GatewayError(Exception):
    pass


def redact(value, keep=4):
    if not value:
        return "<unset>"
    return value[:keep] + "*" * 8


def gateway_key():
    return current_app.config.get("STRIPE_SECRET_KEY") or LEGACY_RESTRICTED_KEY  # ok: a helper, not a route


class PaymentsClient:
    def __init__(self, api_key=None, base_url=GATEWAY_URL, timeout=DEFAULT_TIMEOUT):
        self.api_key = api_key or gateway_key()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {self.api_key}"  # ok: the key used as intended, in an outgoing header
        _log.info("payments client for %s ready, key %s", self.base_url, redact(self.api_key))  # ok: redacted

    @classmethod
    def for_reconciliation(cls):
        # the reconciliation account never got its own env var
        return cls(api_key="sk_live_GyazYqK8KcnLBy1WsKL1nyJ4", timeout=60)  # expect: KL101

    def _request(self, method, path, retries=2, **kwargs):
        url = f"{self.base_url}/{path.lstrip('/')}"
        _log.debug("%s %s headers=%s", method, url, dict(self.session.headers))  # expect: KL201
        for attempt in range(retries + 1):
            started = time.monotonic()
            resp = self.session.request(method, url, timeout=self.timeout, **kwargs)
            _log.info("%s %s -> %s in %.0fms", method, path, resp.status_code, (time.monotonic() - started) * 1000)  # ok: no secret
            if resp.status_code == 401:
                _log.error("gateway rejected key %s" % self.api_key)  # expect: KL201
                raise GatewayError("gateway rejected our API key")  # ok: fixed message
            if resp.status_code < 500:
                return resp.json()
            key = self.api_key
            key = redact(key)
            _log.warning("retry {} for {} with key {}".format(attempt, path, key))  # ok: key was reassigned to its redacted form
        raise GatewayError(f"{method} {path} failed after {retries} retries")

    def create_charge(self, customer_id, amount_cents, currency="eur", idempotency_key=None):
        _log.info("charge customer=%s amount=%d idempotency_key=%s", customer_id, amount_cents, idempotency_key)  # ok: an idempotency key is not a credential
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return self._request("POST", "/charges", data={"customer": customer_id, "amount": amount_cents, "currency": currency}, headers=headers)

    def describe(self):
        _log.debug(f"client base={self.base_url} key={self.api_key!r:>40}")  # expect: KL201
        return {"base_url": self.base_url, "key_last4": self.api_key[-4:], "timeout": self.timeout}


def log_gateway_config():
    print("payments: using key " + gateway_key(), file=sys.stderr)  # expect: KL201
    print(f"payments: key ...{gateway_key()[-4:]:>8}", file=sys.stderr)  # ok: short slice
    print("payments: restricted key configured:", LEGACY_RESTRICTED_KEY is not None, file=sys.stderr)  # ok: comparison


@bp.get("/checkout/config")
def checkout_config():  # expect: KL403
    return j(publishable_key=current_app.config["STRIPE_PUBLISHABLE_KEY"], currency="eur", reset_url=current_app.config["PASSWORD_RESET_URL"])  # ok: publishable key, reset page URL


@bp.post("/checkout")
@login_required
def checkout():
    client = PaymentsClient()
    charge = client.create_charge(current_user.stripe_customer_id, int(current_user.cart_total * 100), idempotency_key=f"cart-{current_user.cart_id}")
    return j(charge_id=charge["id"], status=charge["status"]), 201  # ok: charge id


@bp.get("/checkout/debug")
@login_required
def checkout_debug():
    client = PaymentsClient()
    data = client.describe()
    data["api_key"] = client.api_key
    return j(data)  # expect: KL203


@bp.get("/checkout/debug/v2")
@login_required
def checkout_debug_v2():
    return j(PaymentsClient().describe())  # ok: describe() returns only the last four characters


@bp.get("/invoices/<int:invoice_id>/embed-token")
@internal_only
def invoice_embed_token(invoice_id):  # expect: KL405
    payload = {"inv": invoice_id, "exp": datetime.now(timezone.utc) + timedelta(minutes=10)}
    signed = jwt.encode(payload, "eQg0VbT26mUpl0qKBM45Tz7w", algorithm="HS256")  # expect: KL101
    return j(embed_token=signed, expires_in=600)  # ok: a signed token, not the signing key
