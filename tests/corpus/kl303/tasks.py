"""Celery tasks: nightly backups and order sync."""
import os

import requests
from celery import shared_task

BACKUP_URL = "http://backup.partner.example/upload"  # ok: a URL without credentials; the upload below is reported
SYNC_URL = "https://sync.partner.example/v3/orders"


@shared_task
def upload_backup(blob):
    token = os.environ["BACKUP_TOKEN"]
    return requests.put(BACKUP_URL, data=blob, headers={"Authorization": f"Bearer {token}"}, timeout=300).status_code  # expect: KL303


@shared_task
def sync_orders(since):
    headers = {"Authorization": f"Bearer {os.environ['SYNC_TOKEN']}"}
    return requests.get(SYNC_URL, params={"since": since}, headers=headers, verify=False, timeout=60).json()  # expect: KL303


@shared_task
def sync_orders_verified(since):
    headers = {"Authorization": f"Bearer {os.environ['SYNC_TOKEN']}"}
    return requests.get(SYNC_URL, params={"since": since}, headers=headers, verify=True, timeout=60).json()  # ok: https, verification on


@shared_task
def push_metrics(points):
    api_key = os.environ["METRICS_API_KEY"]
    return requests.request("POST", "http://metrics.partner.example/v1/series", json=points, headers={"DD-API-KEY": api_key}, timeout=10).ok  # expect: KL303


@shared_task
def warm_cdn(paths):
    for path in paths:
        requests.get(f"http://cdn.partner.example/{path}", timeout=10)  # ok: http, no credential


@shared_task
def fetch_exchange_rates():
    return requests.get("http://rates.partner.example/latest.json", headers={"If-None-Match": "W/1"}, timeout=10).json()  # ok: public data, no credential


@shared_task
def instance_region():
    return requests.get("http://169.254.169.254/latest/meta-data/placement/region", timeout=2).text  # ok: instance metadata, no credential sent
