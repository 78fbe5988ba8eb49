"""Sign-in endpoints, mounted at /auth. Every response of this blueprint
gets ``Cache-Control: no-store`` from the ``no_store`` hook."""
import secrets

from flask import Blueprint, abort, current_app, jsonify, request
from flask.views import MethodView
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt_identity, jwt_required
from flask_restful import Api, Resource
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from .extensions import db
from .http_utils import no_store
from .models import ApiKey, MagicLink, User

auth_bp = Blueprint("auth", __name__)
auth_bp.after_request(no_store)
rest = Api(auth_bp)


@auth_bp.post("/login")
def login():  # ok: fresh tokens, but the blueprint's after_request hook sets no-store
    body = request.get_json(force=True)
    user = User.query.filter_by(email=body.get("email", "")).first()
    if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
        abort(401)
    return jsonify(access_token=create_access_token(identity=str(user.id)), refresh_token=create_refresh_token(identity=str(user.id)))


@auth_bp.post("/refresh")
@jwt_required(refresh=True)
def refresh():  # ok: fresh token, no-store from the blueprint hook
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@auth_bp.post("/register")
def register():  # ok: fresh token, no-store from the blueprint hook
    body = request.get_json(force=True)
    user = User(email=body["email"], password_hash=generate_password_hash(body["password"]))
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id, access_token=create_access_token(identity=str(user.id))), 201


@auth_bp.get("/magic/<token>")
def magic_exchange(token):  # ok: fresh token, no-store from the blueprint hook
    try:
        email = URLSafeTimedSerializer(current_app.config["SECRET_KEY"]).loads(token, max_age=900)
    except BadSignature:
        abort(400)
    user = User.query.filter_by(email=email).first_or_404()
    MagicLink.consume(token)
    return jsonify(access_token=create_access_token(identity=str(user.id)))


class CliTokenView(MethodView):
    decorators = [jwt_required()]

    def post(self):  # ok: fresh API key, no-store from the blueprint hook
        key = secrets.token_urlsafe(32)
        db.session.add(ApiKey.from_plaintext(get_jwt_identity(), key))
        db.session.commit()
        return jsonify(api_key=key), 201


auth_bp.add_url_rule("/cli-token", view_func=CliTokenView.as_view("cli_token"))


class GuestSession(Resource):
    def post(self):  # ok: fresh token, no-store from the blueprint hook
        return {"access_token": create_access_token(identity="guest", additional_claims={"guest": True})}


rest.add_resource(GuestSession, "/guest")
