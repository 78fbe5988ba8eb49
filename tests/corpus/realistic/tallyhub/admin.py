"""Operator pages: settings overview, integration diagnostics, a few debug helpers."""
import os
import platform

from flask import Blueprint, abort, current_app, make_response, render_template, request
from flask import jsonify as j
from flask_login import current_user, login_required

from .payments import PaymentsClient

admin = Blueprint("admin", __name__, template_folder="templates")

SAFE_SETTINGS = ("SERVER_NAME", "PREFERRED_URL_SCHEME", "JWT_ALGORITHM", "API_KEY_HEADER", "MAX_CONTENT_LENGTH")


def mask(value, show=2):
    value = "" if value is None else str(value)
    return value[:show] + "****" if len(value) > 8 else "****"


def _stripe_key():
    return current_app.config["STRIPE_SECRET_KEY"]  # ok: a helper, not a route


@admin.before_request
def require_staff():
    if request.cookies.get("ops_token") == current_app.config["OPS_TOKEN"]:  # expect: KL402
        return None
    if not current_user.is_authenticated or not current_user.is_staff:  # ok: role check
        abort(403)


@admin.get("/settings")
@login_required
def settings_overview():
    rows = {name: current_app.config.get(name) for name in SAFE_SETTINGS}
    return render_template("admin/settings.html", rows=rows, python=platform.python_version())  # ok: allow-listed, non-secret settings


@admin.get("/integrations")
@login_required
def integrations():
    stripe_key = _stripe_key()
    ctx = {
        "stripe_mode": "live" if stripe_key.startswith("sk_live_") else "test",  # ok: derived mode
        "stripe_key": mask(stripe_key),  # ok: masked
        "github_client_id": current_app.config.get("GITHUB_OAUTH_CLIENT_ID"),  # ok: client id is public
        "sendgrid_configured": bool(os.environ.get("SENDGRID_API_KEY")),  # ok: bool()
        "jwt_algorithm": current_app.config["JWT_ALGORITHM"],  # ok: algorithm name
    }
    return render_template("admin/integrations.html", **ctx)  # ok: nothing secret in the context


@admin.get("/debug/config")
def debug_config():
    # TODO(ops): remove before the SOC 2 audit
    return j(secret_key=current_app.secret_key, jwt_secret=current_app.config.get("JWT_SECRET_KEY"), env=os.getenv("TALLYHUB_ENV"))  # expect: KL203


@admin.get("/debug/stripe")
@login_required
def stripe_debug():
    resp = make_response(j(ok=True, mode="live"))
    resp.headers["X-Stripe-Key"] = _stripe_key()  # expect: KL203
    resp.headers["X-Stripe-Key-Hint"] = mask(_stripe_key())  # ok: masked
    resp.headers["Cache-Control"] = "no-store"
    return resp


@admin.get("/debug/aws")
@login_required
def aws_page():
    aws = {"region": os.environ.get("AWS_DEFAULT_REGION"), "secret": os.environ.get("AWS_SECRET_ACCESS_KEY")}
    return render_template("admin/aws.html", aws=aws, python=platform.python_version())  # expect: KL203


@admin.get("/debug/gateway")
@login_required
def gateway_status():
    client = PaymentsClient()
    return {"reachable": True, "key_last4": client.api_key[-4:], "timeout": client.timeout}, 200  # ok: short slice


@admin.get("/debug/gateway/raw")
@login_required
def gateway_raw():
    client = PaymentsClient()
    return {"reachable": True}, 200, {"X-Debug-Auth": client.session.headers["Authorization"]}  # expect: KL203


@admin.get("/me")
@login_required
def my_account():
    return j(email=current_user.email, is_staff=current_user.is_staff, api_key=current_user.api_key)  # ok: the user's own key on their own profile


@admin.get("/users/<int:user_id>/keys")
@login_required
def user_keys(user_id):
    if current_user.id != user_id:  # ok: comparing ids
        abort(404)
    return j(id=current_user.id, primary_key=current_user.id, api_key_prefix=current_user.api_key[:4])  # ok: a database primary key and a short prefix


@admin.post("/debug/toggle")
@login_required
def toggle_debug():
    if request.get_json(force=True).get("enabled", False):
        current_app.debug = True  # expect: KL301
    else:
        current_app.debug = False  # ok: debug off
    return j(debug=current_app.debug)  # ok: a flag
