"""Scheduled jobs; the scheduler runs them inside a pushed app context."""
import logging
import os
import pprint
import subprocess

from flask import current_app

from .settings import settings

audit = logging.getLogger("audit")


def run_backup():
    env = dict(os.environ, PGPASSWORD=settings.DATABASE_PASSWORD)
    audit.info("running pg_dump as %s on %s", settings.DATABASE_USER, settings.DATABASE_HOST)  # ok: user and host
    audit.debug("pg_dump environment: %s", env)  # expect: KL202|KL201
    result = subprocess.run(["pg_dump", "--format=custom", settings.DATABASE_NAME], env=env, capture_output=True, check=False)
    if result.returncode != 0:
        audit.error("pg_dump exited with %s", result.returncode)  # ok: an exit status
    return result.returncode


def sync_partners():
    audit.info("partner sync starting with config %s", current_app.config)  # expect: KL202
    audit.info("partner sync starting against %s", current_app.config["PARTNER_BASE_URL"])  # ok: a base URL
    audit.info("partner key configured: %s", "PARTNER_API_KEY" in current_app.config)  # ok: a membership test
    return 0


def report_environment():
    names = sorted(os.environ)
    audit.info("environment variables present: %s", ", ".join(names))  # ok: variable names only
    audit.info("FLASK_APP=%s", os.environ.get("FLASK_APP"))  # ok: not a secret
    pprint.pprint(dict(os.environ))  # expect: KL202
    audit.debug(f"environment snapshot: {os.environ!r}")  # expect: KL202


def log_worker_start(worker_id):
    audit.info("worker %s started (pid %s)", worker_id, os.getpid())  # ok: ids
    audit.info("worker %s uses queue %s", worker_id, settings.QUEUE_NAME)  # ok: a queue name
    audit.debug("worker %s environ size %d", worker_id, len(os.environ))  # ok: len()


def log_outgoing_call(url):
    headers = {"Accept": "application/json", "User-Agent": "billing-worker/2.3"}
    audit.debug("calling %s with headers %s", url, headers)  # ok: our own outgoing headers, no credential among them
