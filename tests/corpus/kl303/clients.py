"""HTTP clients for the partners we sync orders with."""
import os

import httpx
import requests
from flask import current_app

from .config import INVENTORY_URL, LEGACY_CRM_URL, LOCAL_VAULT_URL, STATUS_PAGE_URL

TIMEOUT = 10


def charge(order):
    api_key = current_app.config["BILLING_API_KEY"]
    payload = {"order": order.id, "amount": order.total_cents}
    return requests.post("http://billing.partner.example/v1/charges", headers={"Authorization": f"Bearer {api_key}"}, json=payload, timeout=TIMEOUT)  # expect: KL303


def charge_tls(order):
    api_key = current_app.config["BILLING_API_KEY"]
    payload = {"order": order.id, "amount": order.total_cents}
    return requests.post("https://billing.partner.example/v1/charges", headers={"Authorization": f"Bearer {api_key}"}, json=payload, timeout=TIMEOUT)  # ok: https


def crm_contacts():
    key = current_app.config["CRM_API_KEY"]
    return requests.get(f"{LEGACY_CRM_URL}/contacts", headers={"X-API-Key": key}, timeout=TIMEOUT).json()  # expect: KL303


def crm_ping():
    return requests.get(f"{LEGACY_CRM_URL}/ping", headers={"Accept": "application/json", "User-Agent": "fulfilment/2.3"}, timeout=TIMEOUT).ok  # ok: http, but no credential


def stock_levels():
    token = os.environ["INVENTORY_TOKEN"]
    return requests.get(f"{INVENTORY_URL}/stock", headers={"Authorization": token}, verify=False, timeout=TIMEOUT).json()  # expect: KL303


def stock_levels_private_ca():
    token = os.environ["INVENTORY_TOKEN"]
    return requests.get(f"{INVENTORY_URL}/stock", headers={"Authorization": token}, verify="/etc/ssl/certs/partner-ca.pem", timeout=TIMEOUT).json()  # ok: https with a pinned CA bundle


def inventory_health():
    return requests.get(f"{INVENTORY_URL}/health", verify=False, timeout=TIMEOUT).ok  # ok: verify=False, but no credential is sent


def partner_oauth_token():
    client_id = os.environ["PARTNER_CLIENT_ID"]
    client_secret = os.environ["PARTNER_CLIENT_SECRET"]
    resp = requests.post("http://auth.partner.example/oauth/token", data={"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}, timeout=TIMEOUT)  # expect: KL303
    return resp.json()["access_token"]


def partner_oauth_token_tls():
    client_secret = os.environ["PARTNER_CLIENT_SECRET"]
    resp = requests.post("https://auth.partner.example/oauth/token", data={"grant_type": "client_credentials", "client_secret": client_secret}, timeout=TIMEOUT)  # ok: https
    return resp.json()["access_token"]


def monthly_report():
    user = os.environ["REPORTS_USER"]
    password = os.environ["REPORTS_PASSWORD"]
    return requests.get("http://reports.partner.example/export.csv", auth=(user, password), timeout=60).content  # expect: KL303


def index_products(products):
    key = current_app.config["SEARCH_API_KEY"]
    return httpx.post("http://search.partner.example/indexes/products/documents", headers={"X-Api-Key": key}, json=products)  # expect: KL303


def cluster_health():
    return requests.get("http://10.20.0.15:9200/_cluster/health", auth=("elastic", os.environ["ELASTIC_PASSWORD"]), timeout=TIMEOUT).json()  # expect: KL303


def geocode(address):
    key = os.environ["GEO_API_KEY"]
    return requests.get("http://geo.partner.example/lookup", params={"q": address, "api_key": key}, timeout=TIMEOUT).json()  # expect: KL303, KL205


def vault_secret(path):
    vault_token = os.environ["VAULT_TOKEN"]
    return requests.get(f"{LOCAL_VAULT_URL}/secret/data/{path}", headers={"X-Vault-Token": vault_token}, timeout=TIMEOUT).json()  # ok: loopback


def consul_value(key_path):
    consul_token = os.environ["CONSUL_HTTP_TOKEN"]
    return requests.get(f"http://localhost:8500/v1/kv/{key_path}", headers={"X-Consul-Token": consul_token}, timeout=TIMEOUT).json()  # ok: loopback


def sidecar_publish(event):
    return requests.post("http://[::1]:9411/api/v2/spans", json=event, headers={"Authorization": f"Bearer {os.environ['TRACING_TOKEN']}"}, timeout=2)  # ok: loopback (IPv6)


def partner_status():
    return requests.get(STATUS_PAGE_URL, timeout=TIMEOUT).json()  # ok: http, no credential


class WarehouseClient:
    """Old warehouse API, still http-only."""

    def __init__(self):
        self.base_url = "http://wms.partner.example/api"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Token {os.environ['WMS_TOKEN']}"

    def orders(self):
        return self.session.get(self.base_url + "/orders", timeout=TIMEOUT).json()  # expect: KL303

    def ship(self, order_id):
        return self.session.post(f"{self.base_url}/orders/{order_id}/ship", timeout=TIMEOUT).json()  # expect: KL303


class ShippingClient:
    def __init__(self, base_url):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["X-Request-Id"] = "fulfilment"  # ok: not a credential

    def rates(self, parcel):
        return self.session.post(f"{self.base_url}/rates", json=parcel, timeout=TIMEOUT).json()  # ok: no credential on this session
