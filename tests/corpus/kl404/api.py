"""JSON API of the shop app, mounted at /api by ``create_app`` (default limits apply)."""
import hmac

from flask import Blueprint, abort, current_app, jsonify, request
from flask.views import MethodView
from flask_jwt_extended import create_access_token, get_jwt_identity, jwt_required
from flask_login import current_user, login_required
from flask_restful import Api, Resource
from werkzeug.security import check_password_hash

from .extensions import db, limiter
from .models import User

api_bp = Blueprint("api", __name__)
rest = Api(api_bp)


class TokenView(MethodView):
    def post(self):  # ok: the app-wide default limits apply
        body = request.get_json(force=True)
        user = User.query.filter_by(email=body.get("email", "")).first()
        if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
            abort(401)
        resp = jsonify(access_token=create_access_token(identity=str(user.id)), token_type="Bearer")
        resp.headers["Cache-Control"] = "no-store"
        return resp


api_bp.add_url_rule("/token", view_func=TokenView.as_view("token"))


class AccountDeletion(Resource):
    method_decorators = [login_required]

    def post(self):  # ok: the app-wide default limits apply
        if not current_user.check_password(request.get_json(force=True).get("password", "")):
            return {"error": "wrong password"}, 403
        current_user.active = False
        db.session.commit()
        return {"deleted": True}


rest.add_resource(AccountDeletion, "/account/delete")


@api_bp.post("/giftcards/verify-pin")
def verify_giftcard_pin():  # ok: the app-wide default limits apply
    card = current_app.extensions["giftcards"].lookup(request.form["card_number"])
    if card is None or not check_password_hash(card.pin_hash, request.form["pin"]):
        abort(403)
    return jsonify(balance=card.balance)


@api_bp.post("/session")
@limiter.exempt
def api_session():  # expect: KL404
    body = request.get_json(force=True)
    user = User.query.filter_by(email=body.get("email", "")).first()
    if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
        abort(401)
    return jsonify(user_id=user.id)


@api_bp.post("/webhooks/warehouse")
@limiter.exempt
def warehouse_event():  # expect: KL404
    supplied = request.headers.get("X-Warehouse-Token", "")
    if not hmac.compare_digest(supplied, current_app.config["WAREHOUSE_TOKEN"]):
        abort(401)
    return jsonify(received=True)


@api_bp.get("/me")
@jwt_required()
@limiter.exempt
def me():  # ok: exempt, but verifies nothing itself (the JWT check is the extension's)
    return jsonify(id=get_jwt_identity())
