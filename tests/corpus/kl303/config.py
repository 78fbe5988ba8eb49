"""Upstream endpoints for the fulfilment service. Credentials come from the environment."""
import os

LEGACY_CRM_URL = "http://crm.legacy-partner.example/api"  # ok: a URL without credentials; calls through it are reported where a credential goes with them
INVENTORY_URL = "https://inventory.partner.example/v2"
STATUS_PAGE_URL = "http://status.partner.example/summary.json"  # ok: public status page, nothing secret is sent there
LOCAL_VAULT_URL = "http://127.0.0.1:8200/v1"  # ok: loopback


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    BILLING_API_KEY = os.environ.get("BILLING_API_KEY")
    CRM_API_KEY = os.environ.get("CRM_API_KEY")
    SEARCH_API_KEY = os.environ.get("SEARCH_API_KEY")
    BACKUP_TOKEN = os.environ.get("BACKUP_TOKEN")
    SMTP_HOST = "smtp.mailhost.example"
    SMTP_USER = os.environ.get("SMTP_USER")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD")
    SHIPPING_URL = "https://api.shipping.example/v1"


class DevelopmentConfig(Config):
    SHIPPING_URL = "http://localhost:8081/v1"  # ok: local stub on loopback
