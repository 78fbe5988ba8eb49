"""Clients for the payment, messaging, accounting, FX and maps providers."""
import base64
import logging

import httpx
import requests
from flask import current_app

from . import HttpClient, IntegrationError, ProviderAuthError
from ..security import fingerprint, mask_secret

logger = logging.getLogger("ledgerline.integrations.vendors")

GEOCODE_URL = "https://maps.googleapis.com/maps/api/geocode/json"
FALLBACK_MAPS_KEY = "AIzaRHtUVQcDMpg0TMkxpdzPaEMM1ZA7V0FhHVJ"  # expect: KL101
FX_ENDPOINT = "https://api.currencylayer.com/live"


class StripeClient(HttpClient):
    base_url = "https://api.stripe.com/v1"

    def create_charge(self, amount_cents, currency, customer_ref):
        logger.info("charging %s %s for %s using key %s", amount_cents, currency, customer_ref, mask_secret(self.api_key))  # ok: masked
        return self._request("POST", "/charges", data={"amount": amount_cents, "currency": currency.lower(), "customer": customer_ref})

    def retrieve_balance(self):
        try:
            return self._request("GET", "/balance")
        except ProviderAuthError:
            logger.error("stripe rejected key %s", self.api_key)  # expect: KL201
            raise

    def verify_key(self):
        try:
            self._request("GET", "/account")
        except ProviderAuthError as exc:
            raise IntegrationError(f"Stripe rejected key {mask_secret(self.api_key)}") from exc  # ok: masked
        logger.info("stripe key verified (fingerprint %s)", fingerprint(self.api_key))  # ok: fingerprint
        return True


class SendGridClient(HttpClient):
    base_url = "https://api.sendgrid.com/v3"

    def send(self, to, subject, html):
        payload = {
            "personalizations": [{"to": [{"email": to}]}],
            "from": {"email": current_app.config["SENDGRID_FROM"]},
            "subject": subject,
            "content": [{"type": "text/html", "value": html}],
        }
        logger.debug("sendgrid: subject=%r key configured=%s", subject, bool(self.api_key))  # ok: bool only
        return self._request("POST", "/mail/send", json=payload)


class TwilioClient:
    def __init__(self, account_sid, auth_token, from_number):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.from_number = from_number

    def send_sms(self, to, body):
        url = f"https://api.twilio.com/2010-04-01/Accounts/{self.account_sid}/Messages.json"  # ok: account SID is an identifier; the token goes in basic auth
        resp = requests.post(url, data={"To": to, "From": self.from_number, "Body": body}, auth=(self.account_sid, self.auth_token), timeout=10)  # ok: credentials in the Authorization header
        if resp.status_code == 401:
            raise ProviderAuthError("Twilio rejected account %s with token %s" % (self.account_sid, self.auth_token))  # expect: KL206
        if resp.status_code >= 400:
            raise IntegrationError(f"Twilio error {resp.status_code} for account {self.account_sid}")  # ok: SID only
        return resp.json()["sid"]


class QuickBooksClient:
    token_url = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"

    def __init__(self, client_id, client_secret):
        self.client_id = client_id
        self.client_secret = client_secret

    def _basic(self):
        raw = f"{self.client_id}:{self.client_secret}".encode()
        return {"Authorization": "Basic " + base64.b64encode(raw).decode(), "Accept": "application/json"}

    def exchange_code(self, code, redirect_uri):
        logger.debug("token request for %s", {"client_id": self.client_id, "client_secret": self.client_secret})  # expect: KL201
        resp = httpx.post(self.token_url, data={"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}, headers=self._basic(), timeout=10)  # ok: secret in the Authorization header
        if resp.status_code != 200:
            raise IntegrationError(f"QuickBooks code exchange failed ({resp.status_code}) for client {self.client_id}")  # ok: client id is public
        return resp.json()

    def refresh(self, refresh_token):
        resp = httpx.post(self.token_url + "?grant_type=refresh_token&refresh_token=" + refresh_token, headers=self._basic(), timeout=10)  # expect: KL205
        if resp.status_code != 200:
            raise IntegrationError(f"QuickBooks refresh failed ({resp.status_code})")  # ok
        return resp.json()


class FxRatesClient:
    def __init__(self, access_key):
        self.access_key = access_key

    def latest(self, source="USD"):
        url = "{}?access_key={}&source={}".format(FX_ENDPOINT, self.access_key, source)  # expect: KL205
        resp = requests.get(url, timeout=5)
        resp.raise_for_status()
        return resp.json()["quotes"]

    def historical(self, day):
        with httpx.Client(timeout=10) as client:
            resp = client.get("https://api.currencylayer.com/historical", params={"access_key": self.access_key, "date": day.isoformat()})  # expect: KL205
        return resp.json()["quotes"]

    def currencies(self):
        resp = requests.get("https://api.currencylayer.com/list", params={"format": 1}, headers={"apikey": self.access_key}, timeout=5)  # ok: key in a header, not the URL
        return resp.json()["currencies"]


def geocode(address, api_key=None):
    api_key = api_key or current_app.config.get("GOOGLE_MAPS_API_KEY") or FALLBACK_MAPS_KEY
    resp = requests.get(GEOCODE_URL, params={"address": address, "key": api_key}, timeout=5)  # expect: KL205
    data = resp.json()
    if data.get("status") == "REQUEST_DENIED":
        raise ProviderAuthError("Google rejected GOOGLE_MAPS_API_KEY (fingerprint %s)" % fingerprint(api_key))  # ok: fingerprint
    return data["results"][0]["geometry"]["location"] if data.get("results") else None


def timezone_for(lat, lng):
    key = current_app.config["GOOGLE_MAPS_API_KEY"]
    url = f"https://maps.googleapis.com/maps/api/timezone/json?location={lat},{lng}&timestamp=0&key={key}"  # expect: KL205
    resp = requests.get(url, timeout=5)
    if resp.status_code != 200:
        logger.warning("timezone lookup failed: GET %s -> %s", url, resp.status_code)  # expect: KL201
        return None
    return resp.json().get("timeZoneId")


def osm_lookup(address):
    resp = requests.get("https://nominatim.openstreetmap.org/search", params={"q": address, "format": "jsonv2", "limit": 1}, headers={"User-Agent": "ledgerline/2.3"}, timeout=5)  # ok: no credential in params
    hits = resp.json()
    return (float(hits[0]["lat"]), float(hits[0]["lon"])) if hits else None


def post_to_slack(text):
    webhook_url = current_app.config["SLACK_WEBHOOK_URL"]
    resp = requests.post(webhook_url, json={"text": text}, timeout=5)
    if not resp.ok:
        raise IntegrationError("Slack webhook %s returned %s" % (webhook_url, resp.status_code))  # expect: KL206
    return True
