"""Webhook receivers and class-based API views with request logging."""
import logging

from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_restful import Api, Resource

bp = Blueprint("hooks", __name__, url_prefix="/hooks")
api = Api(bp)
logger = logging.getLogger(__name__)


@bp.post("/stripe")
def stripe_webhook():
    current_app.logger.info("stripe webhook headers=%s", dict(request.headers))  # expect: KL202
    current_app.logger.info("stripe webhook, %d bytes", request.content_length or 0)  # ok: a size
    return "", 204


@bp.post("/github")
def github_webhook():
    event = request.headers.get("X-GitHub-Event")
    delivery = request.headers.get("X-GitHub-Delivery")
    logger.info("github %s delivery %s", event, delivery)  # ok: event name and delivery id
    logger.debug("github delivery headers: {}".format(request.headers))  # expect: KL202
    return "", 204


class ExportView(MethodView):
    decorators = [login_required]

    def get(self):
        logger.debug("export requested by %s with headers %r", current_user.id, request.headers)  # expect: KL202
        logger.debug("export requested by %s", current_user.id)  # ok: a user id
        return jsonify(status="queued")

    def post(self):
        logger.info("export options %s", request.get_json(silent=True))  # ok: the request body, no headers
        return jsonify(status="queued"), 202


class Health(Resource):
    def get(self):
        logger.debug("health probe, environ=%s", request.environ)  # expect: KL202
        logger.debug("health probe from %s", request.environ.get("REMOTE_ADDR"))  # ok: one environ entry
        return {"status": "ok"}


class SessionInfo(Resource):
    def get(self):
        logger.info("session cookies: " + str(request.cookies))  # expect: KL202
        logger.info("session locale %s", request.cookies.get("locale", "en"))  # ok: a locale cookie
        return {"authenticated": current_user.is_authenticated}


api.add_resource(Health, "/health")
api.add_resource(SessionInfo, "/session")
bp.add_url_rule("/export", view_func=ExportView.as_view("export"))


def forward_to_upstream(url):
    logger.debug("forwarding with settings %s", dict(current_app.config))  # expect: KL202
    logger.debug("forwarding to %s", url)  # ok: a URL without credentials
    logger.debug("forwarding with %d settings", len(current_app.config))  # ok: len()
