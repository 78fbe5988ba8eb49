"""Back office. Three blueprints, registered in create_app():

- admin_bp    at /admin        staff only (guarded below)
- ops_bp      at /admin/ops    queue and cache tooling
- internal_bp at /internal     service-to-service (guard attached in create_app)
"""
import os
from datetime import timedelta

import httpx
import requests
from flask import Blueprint, abort, current_app, jsonify, render_template, request
from flask_jwt_extended import create_access_token
from flask_login import current_user

from .extensions import db
from .models import Tenant, User
from .security import admin_required

admin_bp = Blueprint("admin", __name__)
ops_bp = Blueprint("ops", __name__)
internal_bp = Blueprint("internal", __name__)


@admin_bp.before_request
def staff_only():
    if not current_user.is_authenticated or not current_user.is_admin:
        abort(403)


@admin_bp.get("/")
def index():  # ok: admin_bp before_request guard
    return render_template("admin/index.html", tenants=Tenant.query.count(), users=User.query.count())


@admin_bp.get("/tenants/<int:tenant_id>")
def tenant_detail(tenant_id):  # ok: admin_bp before_request guard
    tenant = db.get_or_404(Tenant, tenant_id)
    return jsonify(id=tenant.id, name=tenant.name, plan=tenant.plan, suspended=tenant.suspended)


@admin_bp.post("/tenants/<int:tenant_id>/suspend")
def suspend_tenant(tenant_id):  # ok: admin_bp before_request guard
    tenant = db.get_or_404(Tenant, tenant_id)
    tenant.suspended = True
    db.session.commit()
    return jsonify(id=tenant.id, suspended=True)


@admin_bp.get("/config")
def feature_config():  # ok: admin_bp before_request guard
    return jsonify(flags={"new_billing": True, "sso": False}, region=os.environ.get("SAASDASH_REGION", "eu-west-1"))


@admin_bp.post("/users/<int:user_id>/impersonate")
def impersonate(user_id):  # expect: KL405
    user = db.get_or_404(User, user_id)
    token = create_access_token(identity=str(user.id), additional_claims={"impersonator": current_user.id}, expires_delta=timedelta(minutes=10))
    return jsonify(access_token=token, user=user.id)


# --- /admin/ops: a separate blueprint; staff_only() above does not run for it ---


@ops_bp.get("/queues")
def queues():  # expect: KL403
    return jsonify(queues=[{"name": "mail", "depth": 12}, {"name": "webhooks", "depth": 3}])


@ops_bp.post("/queues/<name>/purge")
def purge_queue(name):  # expect: KL403
    current_app.logger.warning("purging queue %s", name)
    return jsonify(purged=name)


@ops_bp.get("/workers")
def workers():  # expect: KL403
    return jsonify(workers=[{"host": "worker-1", "busy": True}])


@ops_bp.post("/cache/flush")
@admin_required
def flush_cache():  # ok: admin_required (security.py)
    return jsonify(flushed=True)


# --- /internal: require_service_token (security.py) is attached in create_app ---


@internal_bp.get("/metrics")
def metrics():  # ok: guarded by the before_request attached in create_app
    return jsonify(users=User.query.count(), tenants=Tenant.query.count())


@internal_bp.post("/search/reindex")
def reindex():  # ok: guarded by the before_request attached in create_app
    es_password = current_app.config["ELASTIC_PASSWORD"]
    health = httpx.get("http://search.prod.saasdash.internal:9200/_cluster/health", auth=("elastic", es_password), timeout=5)  # expect: KL303
    local = httpx.get("http://localhost:9200/_cat/indices", auth=("elastic", es_password), timeout=5)  # ok: loopback
    resp = requests.post("https://search.saasdash.io/tenants/_reindex", auth=("elastic", es_password), verify=False, timeout=30)  # expect: KL303
    return jsonify(cluster=health.json().get("status"), local_indices=len(local.text.splitlines()), reindex=resp.status_code)


@internal_bp.get("/tenants/<int:tenant_id>/flags")
def tenant_flags(tenant_id):  # ok: guarded by the before_request attached in create_app
    token = current_app.config["CONSUL_TOKEN"]
    resp = requests.get(f"http://127.0.0.1:8500/v1/kv/saasdash/tenants/{tenant_id}/flags", headers={"X-Consul-Token": token}, timeout=2)  # ok: loopback agent
    return jsonify(tenant=tenant_id, flags=resp.json() if resp.ok else [])


@internal_bp.get("/status-page")
def status_page():  # ok: guarded by the before_request attached in create_app
    resp = requests.get("https://status.saasdash.io/api/v2/summary.json", verify=False, timeout=5)  # ok: verify=False, but the call carries no credential
    feed = requests.get("http://feeds.statuspage.io/saasdash/history.rss", timeout=5)  # ok: plain http, no credential
    return jsonify(status=resp.json().get("status"), feed_bytes=len(feed.content))
