"""Celery tasks: dunning e-mails, Slack alerts, nightly exports, partner sync, invoice summaries."""
import logging
import os

import boto3
import requests
from celery import Celery
from celery.utils.log import get_task_logger

celery = Celery("tallyhub", broker=os.environ.get("CELERY_BROKER_URL", "redis://:Wd9pLx4QeT7vMz2K@redis.internal:6379/0"))  # expect: KL101
celery.conf.update(task_acks_late=True, worker_hijack_root_logger=False, result_backend="redis://localhost:6379/2")  # ok: no credentials in the URL

logger = get_task_logger(__name__)
export_log = logging.getLogger("tallyhub.export")

SENDGRID_API_KEY = os.environ.get("SENDGRID_API_KEY", "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")  # expect: KL101
SLACK_WEBHOOK_URL = "https://hooks.slack.com/services/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"  # expect: KL101
OPENAI_API_KEY_ENV = "OPENAI_API_KEY"  # ok: name of an environment variable
S3_BUCKET = "tallyhub-exports"
MAX_TOKENS = 512  # ok: a model parameter


def redact(value):
    return f"{value[:3]}…" if value else "<none>"


@celery.task(bind=True, max_retries=3)
def send_dunning_email(self, invoice_id, to_addr):
    headers = {"Authorization": "Bearer " + SENDGRID_API_KEY, "Content-Type": "application/json"}
    body = {"personalizations": [{"to": [{"email": to_addr}]}], "from": {"email": "billing@tallyhub.example"}, "template_id": "d-dunning-v2"}
    resp = requests.post("https://api.sendgrid.com/v3/mail/send", json=body, headers=headers, timeout=20)  # ok: key sent in the Authorization header, as intended
    if resp.status_code >= 400:
        logger.error("sendgrid %s: %s (request headers %s)", resp.status_code, resp.text[:200], headers)  # expect: KL201
        raise self.retry(countdown=60)
    logger.info("dunning mail for invoice %s sent to %s", invoice_id, to_addr)  # ok: no secret


@celery.task
def notify_slack(text):
    requests.post(SLACK_WEBHOOK_URL, json={"text": text}, timeout=5)  # ok: webhook used as intended
    logger.debug("posted %d chars to %s", len(text), SLACK_WEBHOOK_URL)  # expect: KL201
    logger.debug("posted to slack webhook ...%s", SLACK_WEBHOOK_URL[-4:])  # ok: short slice


@celery.task
def nightly_export(day):
    creds = {"key_id": os.environ["AWS_ACCESS_KEY_ID"], "secret": os.environ["AWS_SECRET_ACCESS_KEY"]}
    export_log.info("starting export for %s with %s", day, creds)  # expect: KL201
    export_log.info("starting export for {} as {}".format(day, creds["key_id"][:4]))  # ok: short slice
    s3 = boto3.client("s3", aws_access_key_id=creds["key_id"], aws_secret_access_key=creds["secret"])  # ok: credentials used as intended
    s3.put_object(Bucket=S3_BUCKET, Key=f"exports/{day}.csv", Body=b"")
    export_log.info("export finished", extra={"bucket": S3_BUCKET, "day": day, "aws_secret": creds["secret"]})  # expect: KL201
    export_log.info("export finished", extra={"bucket": S3_BUCKET, "day": day, "aws_secret_set": bool(creds["secret"])})  # ok: bool()


@celery.task
def sync_partner(partner_id, api_token, token_type="Bearer"):
    logger.info("sync partner %s with token %s", partner_id, api_token)  # expect: KL201
    logger.info("sync partner %s, auth scheme %s", partner_id, token_type)  # ok: token type
    shown = api_token
    shown = redact(shown)
    logger.info("sync partner %s using %s", partner_id, shown)  # ok: reassigned to the redacted form
    resp = requests.get(f"https://partners.example/api/{partner_id}/orders", headers={"Authorization": f"{token_type} {api_token}"}, timeout=30)  # ok: token in a header
    return resp.status_code


@celery.task
def summarize_invoice(invoice_text):
    api_key = os.environ[OPENAI_API_KEY_ENV]
    logger.info("summarizing with max_tokens=%d using %s", MAX_TOKENS, OPENAI_API_KEY_ENV)  # ok: a count and an env-var name
    resp = requests.post("https://api.openai.com/v1/chat/completions", headers={"Authorization": f"Bearer {api_key}"}, json={"model": "gpt-4o-mini", "max_tokens": MAX_TOKENS, "messages": [{"role": "user", "content": invoice_text}]}, timeout=60)  # ok: key in the Authorization header
    if resp.status_code == 401:
        logger.error("openai rejected key %s...%s", api_key[:4], api_key[-4:])  # ok: short slices
        return None
    return resp.json()["choices"][0]["message"]["content"]
