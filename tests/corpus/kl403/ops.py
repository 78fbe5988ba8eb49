"""Operator endpoints.

``ops_bp`` says /ops here but ``create_app`` mounts it at /internal. Its
``before_request`` hook only starts a timer. ``manage_bp`` keeps its own
/manage prefix.
"""
import hmac
import time

from flask import Blueprint, abort, current_app, g, jsonify, request
from flask_login import current_user, fresh_login_required, login_required
from flask_security import roles_required

from .decorators import admin_required, audited, permission_required, staff_only
from .extensions import cache, csrf, db, limiter, token_auth
from .models import FeatureFlag, Invite, Job, Permission, Plan, Tenant, Webhook
from .tasks import export_tenants, queue

ops_bp = Blueprint("ops", __name__, url_prefix="/ops")
manage_bp = Blueprint("manage", __name__, url_prefix="/manage")


@ops_bp.before_request
def start_timer():
    g.started = time.monotonic()


@ops_bp.get("/metrics")
def metrics():  # expect: KL403
    return jsonify(queue_depth=queue.count, uptime=time.monotonic() - current_app.config["STARTED_AT"])


@ops_bp.get("/metrics/prometheus")
@token_auth.login_required
def prometheus():  # ok: /internal/metrics/prometheus, Flask-HTTPAuth token guard
    return queue.prometheus_text(), 200, {"Content-Type": "text/plain; version=0.0.4"}


@ops_bp.get("/queues")
def queues():  # expect: KL403
    return jsonify(name=queue.name, depth=queue.count, failed=queue.failed_job_registry.count)


@ops_bp.post("/jobs/<job_id>/retry")
def retry_job(job_id):  # expect: KL403
    job = Job.fetch(job_id, connection=queue.connection)
    job.requeue()
    return jsonify(id=job.id, status=job.get_status())


@ops_bp.get("/feature-flags")
def feature_flags():  # expect: KL403
    return jsonify({flag.name: flag.enabled for flag in FeatureFlag.query.all()})


@ops_bp.post("/tasks/<name>/run")
@audited
def run_task(name):  # expect: KL403
    job = queue.enqueue(f"clubhouse.tasks.{name}")
    return jsonify(id=job.id), 202


@ops_bp.post("/reindex")
def reindex():  # ok: in-body constant-time token check aborts before the work (app-wide default limits apply)
    supplied = request.headers.get("X-Internal-Token", "")
    if not hmac.compare_digest(supplied, current_app.config["INTERNAL_TOKEN"]):
        abort(401)
    job = queue.enqueue("clubhouse.tasks.reindex_search")
    return jsonify(id=job.id), 202


@ops_bp.get("/cache/stats")
def cache_stats():  # ok: in-body check returns 401 before the work
    if not current_user.is_authenticated:
        abort(401)
    return jsonify(hits=cache.cache.get("stats:hits") or 0)


@manage_bp.get("/")
def manage_home():  # expect: KL403
    return jsonify(tenants=Tenant.query.count(), plans=Plan.query.count())


@manage_bp.get("/tenants")
def tenants():  # expect: KL403
    return jsonify([{"id": t.id, "name": t.name, "plan": t.plan_id} for t in Tenant.query.all()])


@login_required
@manage_bp.post("/tenants/<int:tenant_id>/suspend")
def suspend_tenant(tenant_id):  # expect: KL403
    # login_required sits above the route decorator, so Flask registered the unwrapped function
    tenant = db.get_or_404(Tenant, tenant_id)
    tenant.suspended = True
    db.session.commit()
    return jsonify(id=tenant.id, suspended=True)


@manage_bp.get("/exports")
@cache.cached(timeout=300)
def exports():  # expect: KL403
    return jsonify(url=export_tenants().public_url)


@manage_bp.post("/invites")
@limiter.limit("10 per hour")
def create_invite():  # expect: KL403
    invite = Invite.create(email=request.form["email"])
    return jsonify(id=invite.id), 201


@manage_bp.post("/webhooks")
@csrf.exempt
def register_webhook():  # expect: KL403
    hook = Webhook(url=request.get_json()["url"])
    db.session.add(hook)
    db.session.commit()
    return jsonify(id=hook.id), 201


@manage_bp.get("/users")
@login_required
def manage_users():  # ok: flask-login guard
    return jsonify(count=current_user.tenant.users.count())


@manage_bp.get("/billing")
@admin_required
def billing():  # ok: custom admin_required decorator aborts 403
    return jsonify(plans=[p.name for p in Plan.query.all()])


@manage_bp.get("/audit")
@staff_only
def audit():  # ok: custom decorator whose body redirects anonymous users and aborts 403
    return jsonify(entries=[])


@manage_bp.post("/roles")
@roles_required("admin")
def update_roles():  # ok: Flask-Security roles_required
    return jsonify(updated=True)


@manage_bp.post("/plans")
@login_required
@permission_required(Permission.MANAGE_PLANS)
def create_plan():  # ok: login_required and permission_required
    plan = Plan(name=request.form["name"])
    db.session.add(plan)
    db.session.commit()
    return jsonify(id=plan.id), 201


@manage_bp.post("/sessions/revoke")
@fresh_login_required
def revoke_sessions():  # ok: flask-login fresh_login_required
    current_user.revoke_other_sessions()
    return jsonify(revoked=True)
