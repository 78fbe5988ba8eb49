"""Partner integrations blueprint and its error handlers."""
import logging
import sys
import traceback

import requests
from flask import Blueprint, Response, current_app, jsonify, render_template

bp = Blueprint("integrations", __name__, url_prefix="/integrations")
logger = logging.getLogger(__name__)


class PartnerError(Exception):
    pass


def sync_crm():
    resp = requests.get("https://crm.example.com/api/contacts", headers={"Authorization": f"Bearer {current_app.config['CRM_API_TOKEN']}"}, timeout=30)
    if not resp.ok:
        raise PartnerError(f"CRM answered {resp.status_code}")  # ok: a status code
    return len(resp.json())


def sync_erp():
    resp = requests.get("https://erp.example.com/api/items", headers={"Authorization": f"Bearer {current_app.config['ERP_API_TOKEN']}"}, timeout=30)
    resp.raise_for_status()
    return len(resp.json())


@bp.app_errorhandler(PartnerError)
def handle_partner_error(e):
    return Response(f"partner error: {e!r}", status=502, mimetype="text/plain")  # expect: KL207


@bp.app_errorhandler(requests.Timeout)
def handle_partner_timeout(e):
    logger.warning("partner timeout: %s", e)  # ok: logged only
    return jsonify(error="partner did not answer in time"), 504  # ok: generic message


@bp.app_errorhandler(requests.ConnectionError)
def handle_partner_down(e):
    return render_template("partner_down.html", reason=e.args[0] if e.args else None), 503  # expect: KL207


@bp.get("/crm/sync")
def crm_sync():
    try:
        synced = sync_crm()
    except Exception:
        return jsonify(error=str(sys.exc_info()[1])), 500  # expect: KL207
    return jsonify(synced=synced)


@bp.get("/erp/sync")
def erp_sync():
    try:
        synced = sync_erp()
    except Exception:
        return jsonify(error=traceback.format_exception_only(*sys.exc_info()[:2])), 500  # expect: KL207
    return jsonify(synced=synced)


@bp.get("/crm/status")
def crm_status():
    try:
        resp = requests.get("https://crm.example.com/api/status", headers={"Authorization": f"Bearer {current_app.config['CRM_API_TOKEN']}"}, timeout=10)
        resp.raise_for_status()
    except requests.HTTPError as e:
        return jsonify(error="crm unavailable", upstream_status=e.response.status_code), 502  # ok: only the upstream status code
    return jsonify(status=resp.json().get("status"))


@bp.get("/erp/status")
def erp_status():
    token = current_app.config["ERP_API_TOKEN"]
    try:
        resp = requests.get("https://erp.example.com/api/status", headers={"Authorization": f"Bearer {token}"}, timeout=10)
        resp.raise_for_status()
    except requests.RequestException as e:
        return jsonify(error=f"ERP call with token {token} failed: {e}"), 502  # expect: KL203, KL207
    return jsonify(status=resp.json().get("status"))
