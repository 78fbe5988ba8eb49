"""Thin API clients configured from the settings object."""
import requests

from .settings import settings


class ShippingClient:
    base_url = "https://api.shipping.example.com/v2"

    def __init__(self, api_key=None):
        self.api_key = api_key or settings.SHIPPING_API_KEY
        self.session = requests.Session()

    def rates(self, parcel):
        return self.session.post("%s/rates?api_key=%s" % (self.base_url, self.api_key), json=parcel, timeout=10).json()  # expect: KL205

    def track(self, tracking_number):
        return self.session.get(f"{self.base_url}/tracking/{tracking_number}", headers={"Authorization": f"ApiKey {self.api_key}"}, timeout=10).json()  # ok: key in a header

    def label(self, shipment_id):
        return self.session.get(f"{self.base_url}/labels/{shipment_id}", params={"format": "pdf", "token": self.api_key}, timeout=10).content  # expect: KL205

    def label_v2(self, shipment_id):
        return self.session.get(f"{self.base_url}/labels/{shipment_id}", params={"format": "pdf"}, headers={"Authorization": f"ApiKey {self.api_key}"}, timeout=10).content  # ok: key in a header


class LegacyCrmClient:
    base_url = "https://crm.example.com/api"

    def __init__(self):
        self.session = requests.Session()
        self.session.params = {"auth_token": settings.CRM_AUTH_TOKEN}  # expect: KL205
        self.session.headers.update({"Accept": "application/json"})  # ok: not a secret

    def contacts(self, page=1):
        return self.session.get(f"{self.base_url}/contacts", params={"page": page, "per_page": 100}, timeout=10).json()  # ok: paging only


class SearchClient:
    base_url = "https://search.example.com/1/indexes"

    def __init__(self, index_key_name="products"):
        self.key_name = index_key_name
        self.headers = {"X-Search-API-Key": settings.SEARCH_API_KEY}

    def search(self, q):
        return requests.get(f"{self.base_url}/{self.key_name}/query", params={"q": q}, headers=self.headers, timeout=10).json()  # ok: an index key name, the key in a header

    def get_object(self, primary_key):
        return requests.get(f"{self.base_url}/{self.key_name}/objects/{primary_key}", headers=self.headers, timeout=10).json()  # ok: a primary key is not a credential

    def browse(self, cursor=None):
        return requests.get(f"{self.base_url}/{self.key_name}/browse", params={"cursor": cursor, "apiKey": settings.SEARCH_API_KEY}, timeout=10).json()  # expect: KL205
