"""Background sync jobs, run by the scheduler inside the Flask app context."""
import logging
import os
import sys

import requests
from flask import current_app

audit = logging.getLogger("audit")
CRM_TOKEN_HEADER = "X-CRM-Token"
CRM_URL = "https://crm.example/api/contacts"


def _crm_token():
    return current_app.config["CRM_API_TOKEN"]


def sync_contacts():
    token = _crm_token()
    audit.info("syncing contacts with token=%s" % token)  # expect: KL201
    audit.info("syncing contacts, sending header %s" % CRM_TOKEN_HEADER)  # ok: header name
    resp = requests.get(CRM_URL, headers={CRM_TOKEN_HEADER: token}, timeout=30)
    if resp.status_code == 401:
        audit.critical("CRM refused the token ending in %s", token[-4:])  # ok: short slice
        sys.stderr.write(f"CRM refused {CRM_TOKEN_HEADER}: {token}\n")  # expect: KL201
        return 0
    contacts = resp.json()
    audit.info("synced %d contacts from %s", len(contacts), CRM_URL)  # ok: count and URL
    return len(contacts)


def sync_warehouse():
    user = os.getenv("WAREHOUSE_USER", "etl")
    password = os.getenv("WAREHOUSE_PASSWORD")
    audit.info("warehouse login %s/%s", user, password)  # expect: KL201
    audit.info("warehouse login %s (password set: %s)", user, bool(password))  # ok: bool() sanitizes
    dsn = f"postgresql://{user}:{password}@warehouse.internal/analytics"
    audit.debug("warehouse dsn %s", dsn)  # expect: KL201
    audit.debug("warehouse host %s", "warehouse.internal")  # ok: host name
    return dsn
