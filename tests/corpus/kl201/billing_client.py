"""HTTP client for the billing service, used by several blueprints."""
import hashlib
import logging
import os
import sys

import requests

log = logging.getLogger(__name__)


def get_api_token():
    return os.environ["BILLING_API_TOKEN"]


def mask(value):
    return value[:4] + "..." if value else ""


class BillingClient:
    def __init__(self, base_url, api_key=None):
        self.base_url = base_url
        self.api_key = api_key or os.environ["BILLING_API_KEY"]
        log.debug("BillingClient for %s using key %s", base_url, self.api_key)  # expect: KL201
        log.debug("BillingClient for %s using key %s", base_url, mask(self.api_key))  # ok: masked

    def charge(self, customer_id, amount):
        headers = {"Authorization": f"Bearer {self.api_key}"}
        resp = requests.post(f"{self.base_url}/charges", json={"customer": customer_id, "amount": amount}, headers=headers, timeout=10)
        if resp.status_code == 401:
            log.error("billing rejected our credentials, headers were %r", headers)  # expect: KL201
            log.error("billing rejected key with fingerprint %s", hashlib.sha256(self.api_key.encode()).hexdigest()[:12])  # ok: hashed
            log.error("billing rejected our credentials for customer %s", customer_id)  # ok: no secret
        return resp.json()


def rotate_token():
    token = get_api_token()
    log.info("Bearer %s", get_api_token())  # expect: KL201
    sys.stderr.write("using billing token " + token.strip() + "\n")  # expect: KL201
    sys.stderr.write("billing token present: %s\n" % (token is not None))  # ok: comparison
    sys.stderr.write("billing token is %d characters long\n" % len(token))  # ok: len() sanitizes
    return token


def debug_dump(token):
    print(token)  # expect: KL201
    print("token length:", len(token))  # ok: len() sanitizes
