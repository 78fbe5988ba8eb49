"""REST API v1: invoices, mail settings, partner sync, key management. Class-based views."""
import logging
from http import HTTPStatus

import flask
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_restful import Api, Resource, reqparse
from flask_restful import abort as rest_abort

from .auth import api_key_required
from .models import Invoice, db

api_bp = flask.Blueprint("api_v1", __name__)
api = Api(api_bp)
logger = logging.getLogger("tallyhub.api")


class InvoiceList(Resource):
    method_decorators = [api_key_required]

    def get(self):
        client = flask.g.api_client
        logger.info("list invoices for client %s key=%s", client.id, client.api_key)  # expect: KL201
        invoices = Invoice.query.filter_by(client_id=client.id).order_by(Invoice.primary_key.desc()).limit(100).all()
        logger.debug("last invoice primary_key=%s", invoices[0].primary_key if invoices else None)  # ok: a database key
        return {"items": [i.to_dict() for i in invoices], "count": len(invoices)}  # ok: no secret

    def post(self):
        parser = reqparse.RequestParser()
        parser.add_argument("customer_id", type=int, required=True)
        parser.add_argument("amount_cents", type=int, required=True)
        args = parser.parse_args()
        inv = Invoice(client_id=flask.g.api_client.id, **args)
        db.session.add(inv)
        db.session.commit()
        return inv.to_dict(), 201, {"Location": f"/api/v1/invoices/{inv.id}"}  # ok: location header


class MailSettings(Resource):
    method_decorators = [api_key_required]

    def get(self):
        cfg = flask.current_app.config
        settings = {"server": cfg["MAIL_SERVER"], "port": cfg.get("MAIL_PORT", 587), "username": cfg["MAIL_USERNAME"]}
        settings["password"] = cfg["MAIL_PASSWORD"]
        return settings  # expect: KL203


class ClientProfile(Resource):
    method_decorators = [api_key_required]

    def get(self):
        client = flask.g.api_client
        return {"id": client.id, "name": client.name, "api_key_last4": client.api_key[-4:], "token_type": "Bearer"}  # ok: short slice, token type


class Me(Resource):
    method_decorators = [login_required]

    def get(self):
        return {"email": current_user.email, "api_key": current_user.api_key}  # ok: the user's own key on their own profile


class PartnerSync(MethodView):
    def post(self):
        body = flask.request.get_json(silent=True) or {}
        partner_token = flask.request.headers.get("X-Auth-Token", "")
        cfg = flask.current_app.config
        if partner_token != cfg["PARTNER_SYNC_TOKEN"]:  # expect: KL402
            rest_abort(401, message="invalid partner token")  # ok: fixed message
        if cfg.get("PARTNER_SYNC_TOKEN") == cfg.get("LEGACY_PARTNER_TOKEN"):  # ok: two config values
            logger.warning("partner sync still uses the legacy token")  # ok: no value
        accepted = len(body.get("items", []))
        return flask.jsonify(accepted=accepted), 202, {"X-Partner-Token": cfg["PARTNER_SYNC_TOKEN"]}  # expect: KL203


class KeyView(MethodView):
    decorators = [api_key_required]

    def get(self):
        supplied = flask.request.headers.get("X-API-Key")
        return flask.jsonify(valid=True, client=flask.g.api_client.id, key=supplied)  # expect: KL203

    def delete(self):
        client = flask.g.api_client
        client.revoked = True
        db.session.commit()
        logger.warning("client %s revoked its key " + client.api_key, client.id)  # expect: KL201
        return "", HTTPStatus.NO_CONTENT


class MetricsView(MethodView):
    def get(self):  # expect: KL404
        auth = flask.request.authorization
        if auth is not None and auth.password == flask.current_app.config["METRICS_PASSWORD"]:  # expect: KL402
            return flask.Response("tallyhub_up 1\n", mimetype="text/plain")  # ok: no secret
        logger.info("metrics scrape refused for user %s", auth.username if auth else None)  # ok: user name
        return flask.Response("unauthorized\n", status=401)


api.add_resource(InvoiceList, "/invoices")
api.add_resource(MailSettings, "/settings/mail")
api.add_resource(ClientProfile, "/client")
api.add_resource(Me, "/me")
api_bp.add_url_rule("/partner/sync", view_func=PartnerSync.as_view("partner_sync"))
api_bp.add_url_rule("/key", view_func=KeyView.as_view("key"))
api_bp.add_url_rule("/metrics", view_func=MetricsView.as_view("metrics"))
