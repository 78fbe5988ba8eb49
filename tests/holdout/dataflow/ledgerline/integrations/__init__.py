"""Base HTTP client and error types shared by every third-party integration."""
import logging
import time

import requests

logger = logging.getLogger("ledgerline.integrations")


class IntegrationError(Exception):
    """A third-party API call failed."""


class ProviderAuthError(IntegrationError):
    """The provider rejected our credentials."""


class HttpClient:
    """Bearer-token JSON client. Subclasses set base_url."""

    base_url = ""
    timeout = 10
    max_attempts = 3

    def __init__(self, api_key, session=None):
        self.api_key = api_key
        self.session = session or requests.Session()

    def _headers(self):
        return {"Authorization": f"Bearer {self.api_key}", "User-Agent": "ledgerline/2.3", "Accept": "application/json"}  # ok: key travels in a header

    def _request(self, method, path, **kwargs):
        url = f"{self.base_url}{path}"
        for attempt in range(1, self.max_attempts + 1):
            logger.debug("%s %s (attempt %d)", method, url, attempt)  # ok: base URL and path only
            try:
                resp = self.session.request(method, url, headers=self._headers(), timeout=self.timeout, **kwargs)
            except requests.ConnectionError:
                logger.warning("%s unreachable, retrying", self.base_url)  # ok
                time.sleep(2**attempt)
                continue
            if resp.status_code in (401, 403):
                logger.debug("rejected request headers: %s", self._headers())  # expect: KL201
                raise ProviderAuthError(f"{type(self).__name__} rejected API key {self.api_key}")  # expect: KL206
            if resp.status_code == 429:
                time.sleep(int(resp.headers.get("Retry-After", "5")))
                continue
            if resp.status_code >= 400:
                raise IntegrationError(f"{method} {path} failed with HTTP {resp.status_code}")  # ok: no credential in the message
            return resp.json()
        raise IntegrationError(f"{type(self).__name__}: gave up after {self.max_attempts} attempts")  # ok
