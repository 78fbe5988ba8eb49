"""Payments and CRM API clients shared by the blueprints."""
import os

import requests

from .settings import settings

PAYMENTS_URL = "https://api.payments.example.com/v1"


class UpstreamError(Exception):
    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class PaymentsClient:
    def __init__(self, api_key=None):
        self.api_key = api_key or os.environ["PAYMENTS_API_KEY"]

    def charge(self, customer_id, amount):
        headers = {"Authorization": f"Bearer {self.api_key}"}
        resp = requests.post(f"{PAYMENTS_URL}/charges", json={"customer": customer_id, "amount": amount}, headers=headers, timeout=10)
        if resp.status_code == 401:
            raise UpstreamError(f"payments API rejected key {self.api_key}", status=401)  # expect: KL206
        if resp.status_code == 403:
            raise UpstreamError(f"payments API refused the request; sent headers {headers}", status=403)  # expect: KL206
        if resp.status_code == 429:
            raise UpstreamError("payments API rate limit hit for key ending %s" % self.api_key[-4:], status=429)  # ok: short slice
        if resp.status_code >= 500:
            raise UpstreamError(f"payments API failed with status {resp.status_code}", status=resp.status_code)  # ok: a status code
        return resp.json()

    def refund(self, charge_id):
        try:
            resp = requests.post(f"{PAYMENTS_URL}/charges/{charge_id}/refund", headers={"Authorization": f"Bearer {self.api_key}"}, timeout=10)
            resp.raise_for_status()
        except requests.RequestException as exc:
            raise UpstreamError(f"refund of {charge_id} failed") from exc  # ok: a charge id
        return resp.json()


class CrmClient:
    def __init__(self):
        self.token = settings.CRM_API_TOKEN
        self.base_url = settings.CRM_BASE_URL

    def contacts(self, page=1):
        url = f"{self.base_url}/contacts?page={page}&token={self.token}"  # expect: KL205
        resp = requests.get(url, timeout=10)
        if not resp.ok:
            raise UpstreamError(f"GET {url} failed with {resp.status_code}")  # expect: KL206
        return resp.json()

    def contact(self, contact_id):
        resp = requests.get(f"{self.base_url}/contacts/{contact_id}", headers={"X-CRM-Token": self.token}, timeout=10)
        if resp.status_code == 404:
            raise LookupError(f"contact {contact_id} not found")  # ok: an id
        if resp.status_code == 401:
            raise PermissionError("CRM token %s was rejected" % self.token)  # expect: KL206
        return resp.json()

    def verify(self):
        if not self.token:
            raise UpstreamError(message="CRM_API_TOKEN is not configured")  # ok: names the variable
        if len(self.token) != 40:
            raise UpstreamError(message="CRM token has unexpected length " + str(len(self.token)))  # ok: len()
        if not self.token.isalnum():
            raise UpstreamError(message="CRM token is not alphanumeric: " + self.token)  # expect: KL206
        return True
