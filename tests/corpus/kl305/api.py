"""JSON API and UI preferences, mounted at /api."""
from flask import Blueprint, jsonify, make_response, request, session
from flask.views import MethodView
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required
from flask_login import current_user, login_required
from flask_restful import Api, Resource

from .extensions import SECURE_COOKIE
from .models import SessionToken, User

api_bp = Blueprint("api", __name__)
rest = Api(api_bp)


@api_bp.post("/preferences/theme")
def set_theme():
    resp = jsonify(theme=request.form["theme"])
    resp.set_cookie("theme", request.form["theme"], max_age=365 * 86400)  # ok: a UI preference, not a credential
    return resp


@api_bp.post("/preferences/locale")
def set_locale():
    resp = jsonify(locale=request.form["locale"])
    resp.set_cookie("locale", request.form["locale"])  # ok: a UI preference
    return resp


@api_bp.post("/consent")
def cookie_consent():
    resp = jsonify(ok=True)
    resp.set_cookie("cookie_consent", "analytics=0;marketing=0", max_age=180 * 86400)  # ok: consent record, not a credential
    return resp


@api_bp.post("/onboarding/<int:step>")
@login_required
def onboarding(step):
    session["onboarding_step"] = step  # ok: a step number in the session
    resp = jsonify(step=step)
    resp.set_cookie("onboarding_step", str(step))  # ok: not a credential
    return resp


@api_bp.post("/api-token/cookie")
@login_required
def api_token_cookie():
    resp = jsonify(ok=True)
    resp.set_cookie("api_token", current_user.api_token, secure=True)  # expect: KL305
    return resp


@api_bp.post("/auth-header-cookie")
@login_required
def auth_header_cookie():
    token = SessionToken.issue(current_user)
    resp = jsonify(ok=True)
    resp.set_cookie("X-Auth-Token", token, domain=".ledgerly.example", httponly=True, secure=True)  # expect: KL305
    return resp


@api_bp.post("/auth-header-cookie/strict")
@login_required
def auth_header_cookie_strict():
    token = SessionToken.issue(current_user)
    resp = jsonify(ok=True)
    resp.set_cookie("X-Auth-Token", token, domain=".ledgerly.example", httponly=True, secure=True, samesite="Strict")  # ok: all three flags
    return resp


class WidgetSession(MethodView):
    decorators = [login_required]

    def post(self):
        widget_token = SessionToken.issue(current_user, scope="widget")
        resp = make_response(jsonify(ok=True))
        resp.set_cookie("widget_token", widget_token, path="/api/widget")  # expect: KL305
        return resp


class WidgetSessionSecure(MethodView):
    decorators = [login_required]

    def post(self):
        widget_token = SessionToken.issue(current_user, scope="widget")
        resp = make_response(jsonify(ok=True))
        resp.set_cookie("widget_token", widget_token, path="/api/widget", **SECURE_COOKIE)  # ok: SECURE_COOKIE sets all three flags
        return resp


class ExportSession(Resource):
    method_decorators = [jwt_required()]

    def post(self):
        access_token = create_access_token(identity=get_jwt_identity(), additional_claims={"scope": "export"})
        resp = make_response({"ok": True})
        resp.set_cookie("access_token", access_token, httponly=True, samesite="Strict")  # expect: KL305
        return resp


class ExportSessionSecure(Resource):
    method_decorators = [jwt_required()]

    def post(self):
        access_token = create_access_token(identity=get_jwt_identity(), additional_claims={"scope": "export"})
        resp = make_response({"ok": True})
        resp.set_cookie("access_token", access_token, secure=True, httponly=True, samesite="Strict")  # ok: all three flags
        return resp


api_bp.add_url_rule("/widget/session", view_func=WidgetSession.as_view("widget_session"))
api_bp.add_url_rule("/widget/session/secure", view_func=WidgetSessionSecure.as_view("widget_session_secure"))
rest.add_resource(ExportSession, "/export/session")
rest.add_resource(ExportSessionSecure, "/export/session/secure")


@api_bp.get("/whoami")
@login_required
def whoami():
    resp = jsonify(id=current_user.id)
    resp.set_cookie("user_id", str(current_user.id), secure=True)  # ok: a user id, not a credential
    return resp


@api_bp.post("/lookup")
def lookup_user():
    user = User.query.filter_by(email=request.form["email"]).first_or_404()
    resp = jsonify(found=True)
    resp.set_cookie("last_lookup", user.email, httponly=True)  # ok: not a credential
    return resp
