"""CRM and helpdesk widgets embedded in the account pages."""
import os

from flask import Blueprint, current_app, g, make_response, redirect, render_template, session, url_for
from flask_login import current_user, login_required

from .extensions import cache
from .settings import settings

bp = Blueprint("widgets", __name__, url_prefix="/widgets")

CRM_API_TOKEN = os.environ["CRM_API_TOKEN"]
HELPDESK_API_KEY = os.getenv("HELPDESK_API_KEY")
CHAT_WIDGET_ID = os.getenv("CHAT_WIDGET_ID")


def crm_credentials():
    return {"account": settings.CRM_ACCOUNT, "token": CRM_API_TOKEN}


@bp.get("/crm")
@login_required
def crm_widget():
    session["crm"] = crm_credentials()  # expect: KL208
    session["crm_account"] = settings.CRM_ACCOUNT  # ok: an account name
    session["crm_token_hint"] = CRM_API_TOKEN[-4:]  # ok: short slice
    return render_template("widgets/crm.html")


@bp.get("/crm/v2")
@login_required
def crm_widget_v2():
    g.crm_token = CRM_API_TOKEN  # ok: request-local, never leaves the server
    cache.set(f"crm-token:{current_user.id}", CRM_API_TOKEN, timeout=300)  # ok: a server-side cache
    return render_template("widgets/crm.html")


@bp.get("/helpdesk")
@login_required
def helpdesk_widget():
    token = HELPDESK_API_KEY
    widget_settings = {"widget": CHAT_WIDGET_ID, "api_key": token}
    session["helpdesk"] = widget_settings  # expect: KL208
    session["helpdesk_widget"] = CHAT_WIDGET_ID  # ok: a public widget id
    return render_template("widgets/helpdesk.html")


@bp.get("/helpdesk/open")
@login_required
def helpdesk_open():
    resp = make_response(redirect(url_for("widgets.helpdesk_widget")))
    resp.set_cookie("helpdesk_key", "Key " + str(HELPDESK_API_KEY), secure=True, samesite="Lax")  # expect: KL208
    resp.set_cookie("helpdesk_opened", "1", samesite="Lax")  # ok: a flag
    return resp


@bp.get("/status")
@login_required
def status_widget():
    session["services"] = {"crm": bool(CRM_API_TOKEN), "helpdesk": HELPDESK_API_KEY is not None}  # ok: booleans
    session["signing_secret"] = current_app.config["WIDGET_SIGNING_SECRET"]  # expect: KL208
    session.permanent = True
    return render_template("widgets/status.html")


@bp.get("/hooks")
@login_required
def hooks_widget():
    session.setdefault("webhook_secret", current_app.config["WIDGET_WEBHOOK_SECRET"])  # expect: KL208
    session.setdefault("hooks_page", 1)  # ok: a page number
    return render_template("widgets/hooks.html")


@bp.get("/payments")
@login_required
def payments_widget():
    stripe_key = current_app.config["STRIPE_SECRET_KEY"]
    session["stripe"] = stripe_key.strip()  # expect: KL208
    session["stripe_publishable_key"] = current_app.config["STRIPE_PUBLISHABLE_KEY"]  # ok: the publishable key is public
    return render_template("widgets/payments.html")
