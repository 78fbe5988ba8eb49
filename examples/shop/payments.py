import logging

import requests
from flask import current_app

log = logging.getLogger(__name__)


class StripeClient:
    def __init__(self, api_key):
        self.api_key = api_key

    def charge(self, amount, token):
        log.debug("charging %s with key %s", amount, self.api_key)
        resp = requests.post(
            "https://api.stripe.com/v1/charges",
            data={"amount": amount, "source": token},
            headers={"Authorization": f"Bearer {self.api_key}"},
            timeout=10,
        )
        return resp.json()


def client():
    key = current_app.config["STRIPE_SECRET_KEY"]
    current_app.logger.info(f"stripe client ready (key {key[:4]}...)")
    return StripeClient(key)
