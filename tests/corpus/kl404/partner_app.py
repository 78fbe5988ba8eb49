"""Partner portal: a second Flask app, deployed on its own
(``gunicorn shop.partner_app:app``). Its limiter has no default limits, so
only routes and blueprints that set a limit are limited.
"""
import hmac
import os

import pyotp
from flask import Blueprint, Flask, abort, jsonify, redirect, request, session, url_for
from flask.views import MethodView
from flask_jwt_extended import JWTManager, create_access_token
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_restful import Api, Resource
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import bcrypt, db
from .models import Partner

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["PARTNER_SECRET_KEY"]
app.config["JWT_SECRET_KEY"] = os.environ["PARTNER_JWT_SECRET"]
db.init_app(app)
bcrypt.init_app(app)
JWTManager(app)
LoginManager(app)
partner_limiter = Limiter(get_remote_address, app=app, storage_uri="redis://localhost:6379/3")
rest = Api(app)

reports_bp = Blueprint("reports", __name__, url_prefix="/reports")


def _partner(slug):
    return Partner.query.filter_by(slug=slug).first_or_404()


def _password_ok(partner, password):  # ok: a helper, not a route; only the limited /login/limited route calls it
    return check_password_hash(partner.password_hash, password)


@app.post("/login")
def login():  # expect: KL404
    partner = _partner(request.form["slug"])
    if not check_password_hash(partner.password_hash, request.form["password"]):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


@app.post("/login/limited")
@partner_limiter.limit("5 per minute")
def limited_login():  # ok: its own limit
    partner = _partner(request.form["slug"])
    if not _password_ok(partner, request.form["password"]):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


@app.post("/login/otp")
def otp_login():  # expect: KL404
    partner = db.get_or_404(Partner, session.get("pending_partner_id", 0))
    if not pyotp.TOTP(partner.otp_secret).verify(request.form["otp"], valid_window=1):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


@app.post("/login/otp/limited")
@partner_limiter.shared_limit("20 per hour", scope="partner-auth")
def limited_otp_login():  # ok: shared limit
    partner = db.get_or_404(Partner, session.get("pending_partner_id", 0))
    if not pyotp.TOTP(partner.otp_secret).verify(request.form["otp"], valid_window=1):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


@app.post("/login/bcrypt")
def bcrypt_login():  # expect: KL404
    partner = _partner(request.form["slug"])
    if not bcrypt.check_password_hash(partner.password_hash, request.form["password"]):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


@app.post("/login/model")
def model_login():  # expect: KL404
    partner = _partner(request.form["slug"])
    if not partner.check_password(request.form["password"]):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


@app.post("/login/basic")
def basic_login():  # expect: KL404
    auth = request.authorization
    if auth is None or not check_password_hash(_partner(auth.username).password_hash, auth.password or ""):
        return jsonify(error="unauthorized"), 401, {"WWW-Authenticate": 'Basic realm="partners"'}
    login_user(_partner(auth.username))
    return jsonify(ok=True)


@app.post("/oauth/token")
def client_credentials():  # expect: KL404
    partner = _partner(request.form["client_id"])
    if not check_password_hash(partner.client_secret_hash, request.form["client_secret"]):
        return jsonify(error="invalid_client"), 401
    resp = jsonify(access_token=create_access_token(identity=partner.slug), token_type="Bearer", expires_in=900)
    resp.headers["Cache-Control"] = "no-store"
    return resp


@app.post("/sftp/check")
def sftp_check():  # expect: KL404
    supplied = request.get_json(force=True).get("sftp_password", "")
    if not hmac.compare_digest(supplied, os.environ["PARTNER_SFTP_PASSWORD"]):
        abort(403)
    return jsonify(ok=True)


@app.post("/pin")
def confirm_pin():  # expect: KL404
    partner = _partner(request.form["slug"])
    if not partner.pin_hash or not check_password_hash(partner.pin_hash, request.form["pin"]):
        abort(403)
    session["pin_confirmed"] = True
    return jsonify(ok=True)


@app.post("/account/password")
@login_required
def change_password():  # expect: KL404
    if not current_user.check_password(request.form["current_password"]):
        abort(403)
    current_user.password_hash = generate_password_hash(request.form["new_password"])
    db.session.commit()
    return jsonify(changed=True)


@app.post("/account/close")
@login_required
def close_account():  # expect: KL404
    if not check_password_hash(current_user.password_hash, request.form["password"]):
        abort(403)
    db.session.delete(current_user)
    db.session.commit()
    logout_user()
    return jsonify(closed=True)


def legacy_login():  # expect: KL404
    partner = _partner(request.form["slug"])
    if not check_password_hash(partner.password_hash, request.form["password"]):
        abort(401)
    login_user(partner)
    return redirect(url_for("dashboard"))


app.add_url_rule("/legacy/login", view_func=legacy_login, methods=["POST"])


class PartnerLoginView(MethodView):
    def post(self):  # expect: KL404
        partner = _partner(request.json["slug"])
        if not check_password_hash(partner.password_hash, request.json["password"]):
            abort(401)
        login_user(partner)
        return jsonify(ok=True)


app.add_url_rule("/api/login", view_func=PartnerLoginView.as_view("api_login"))


class ReauthResource(Resource):
    method_decorators = [login_required]

    def post(self):  # expect: KL404
        if not check_password_hash(current_user.password_hash, request.json.get("password", "")):
            return {"error": "wrong password"}, 403
        session["reauthenticated"] = True
        return {"ok": True}


rest.add_resource(ReauthResource, "/api/reauth")


@reports_bp.post("/unlock")
def unlock_report():  # ok: the whole reports blueprint is limited below
    partner = _partner(request.form["slug"])
    if not check_password_hash(partner.password_hash, request.form["password"]):
        abort(403)
    session["reports_unlocked"] = True
    return jsonify(ok=True)


@reports_bp.post("/download-code")
def check_download_code():  # ok: the whole reports blueprint is limited below
    if not hmac.compare_digest(request.form.get("download_code", ""), session.get("download_code", "")):
        abort(403)
    return jsonify(ok=True)


partner_limiter.limit("30 per minute")(reports_bp)
app.register_blueprint(reports_bp)


@app.post("/register")
def register():  # ok: hashes a new password, verifies nothing
    if len(request.form["password"]) < 12:
        abort(400)
    partner = Partner(slug=request.form["slug"], password_hash=generate_password_hash(request.form["password"]))
    db.session.add(partner)
    db.session.commit()
    return jsonify(id=partner.id), 201


@app.post("/password/confirm")
def confirm_passwords_match():  # ok: compares two fields of the same request, no stored credential
    if request.form["password"] != request.form["password_confirm"]:
        abort(400)
    return jsonify(match=True)


@app.get("/password/strength")
def password_strength():  # ok: a length check, not a verification
    return jsonify(strong=len(request.form.get("password", "")) >= 12)


@app.post("/logout")
def logout():  # ok: verifies nothing
    logout_user()
    return redirect(url_for("login"))


@app.get("/dashboard")
@login_required
def dashboard():  # ok: verifies nothing (flask-login reads the session)
    return jsonify(partner=current_user.slug)
