"""Customer-facing dashboard: home, settings, API keys, team management."""
import secrets

from flask import Blueprint, abort, jsonify, make_response, render_template, request
from flask_cors import cross_origin
from flask_login import current_user, login_required

from .extensions import db
from .models import ApiKey, User, WebhookEndpoint
from .security import digest, roles_required

dashboard_bp = Blueprint("dashboard", __name__)


@dashboard_bp.get("/")
@login_required
def home():
    return render_template("dashboard/home.html", tenant=current_user.tenant.name, plan=current_user.tenant.plan)


@dashboard_bp.get("/pricing")
def pricing():  # ok: public page
    return render_template("dashboard/pricing.html")


@dashboard_bp.get("/help/keyboard")
def keyboard_help():  # ok: 'keyboard' is not a keys segment, and the page is public
    return render_template("dashboard/keyboard.html")


@dashboard_bp.get("/usage.json")
@cross_origin(supports_credentials=True)  # expect: KL302
@login_required
def usage():
    return jsonify(tenant=current_user.tenant_id, seats=User.query.filter_by(tenant_id=current_user.tenant_id).count())


@dashboard_bp.get("/settings/api-keys")
@login_required
def list_api_keys():
    keys = ApiKey.query.filter_by(tenant_id=current_user.tenant_id, revoked_at=None).all()
    return render_template("dashboard/api_keys.html", keys=[{"id": k.id, "label": k.label, "prefix": k.prefix} for k in keys])


@dashboard_bp.post("/settings/api-keys")
@login_required
def create_api_key():  # expect: KL405
    raw = "sd_live_" + secrets.token_urlsafe(32)
    key = ApiKey(tenant_id=current_user.tenant_id, label=request.form.get("label", "default"), prefix=raw[:12], digest=digest(raw))
    db.session.add(key)
    db.session.commit()
    return jsonify(id=key.id, api_key=raw, note="This is the only time the key is shown.")


@dashboard_bp.post("/settings/personal-token")
@login_required
def create_personal_token():  # ok: explicit no-store on the response
    token = "sdp_" + secrets.token_urlsafe(32)
    current_user.pat_digest = digest(token)
    db.session.commit()
    resp = make_response(jsonify(token=token))
    resp.headers["Cache-Control"] = "no-store, max-age=0"
    return resp


@dashboard_bp.post("/settings/webhooks/<int:endpoint_id>/signing-secret")
@login_required
def regenerate_signing_secret(endpoint_id):  # expect: KL405
    endpoint = WebhookEndpoint.query.filter_by(id=endpoint_id, tenant_id=current_user.tenant_id).first_or_404()
    signing_secret = "whsec_" + secrets.token_hex(24)
    endpoint.signing_digest = digest(signing_secret)
    db.session.commit()
    return {"endpoint": endpoint.id, "signing_secret": signing_secret}


@dashboard_bp.delete("/settings/api-keys/<int:key_id>")
@login_required
def revoke_api_key(key_id):
    key = ApiKey.query.filter_by(id=key_id, tenant_id=current_user.tenant_id).first_or_404()
    key.revoked_at = db.func.now()
    db.session.commit()
    return "", 204


@dashboard_bp.get("/manage/members")
@login_required
@roles_required("owner", "admin")
def members():  # ok: login_required and roles_required
    people = User.query.filter_by(tenant_id=current_user.tenant_id).all()
    return render_template("dashboard/members.html", members=[{"id": u.id, "name": u.name, "role": u.role} for u in people])


@dashboard_bp.post("/manage/members/<int:user_id>/role")
@roles_required("owner")
def change_role(user_id):  # ok: roles_required guard
    member = User.query.filter_by(id=user_id, tenant_id=current_user.tenant_id).first_or_404()
    member.role = request.form["role"]
    db.session.commit()
    return jsonify(id=member.id, role=member.role)


@dashboard_bp.post("/manage/members/<int:user_id>/remove")
def remove_member(user_id):  # expect: KL403
    member = db.get_or_404(User, user_id)
    if member.role == "owner":
        abort(400)
    db.session.delete(member)
    db.session.commit()
    return jsonify(removed=user_id)


@dashboard_bp.post("/settings/theme")
@login_required
def set_theme():
    resp = make_response(jsonify(ok=True))
    resp.set_cookie("theme", request.form.get("theme", "light"), max_age=365 * 24 * 3600)  # ok: not a credential
    return resp
