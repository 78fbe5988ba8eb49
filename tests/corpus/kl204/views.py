"""Class-based views and error handlers of the partner API."""
import os

import requests
from flask import Blueprint, jsonify, render_template, request
from flask.views import MethodView
from flask_login import login_required
from flask_restful import Api, Resource
from flask_restx import Namespace
from flask_restx import Resource as RestxResource

bp = Blueprint("partner_api", __name__, url_prefix="/partner")
api = Api(bp)
ns = Namespace("echo", description="Echo endpoints for integration testing")

UPSTREAM_URL = "https://inventory.example.com/v2"


class RuntimeView(MethodView):
    decorators = [login_required]

    def get(self):
        return jsonify(environment=dict(os.environ))  # expect: KL204

    def post(self):
        return jsonify(region=os.environ.get("AWS_REGION"), release=os.environ.get("RELEASE"))  # ok: non-secret variables


class RequestEcho(Resource):
    def get(self):
        return {"headers": dict(request.headers), "query": request.args.to_dict()}  # expect: KL204

    def post(self):
        return {"content_type": request.headers.get("Content-Type"), "length": request.content_length}  # ok: safe headers


@ns.route("/headers")
class HeaderEcho(RestxResource):
    def get(self):
        return dict(request.headers)  # expect: KL204

    def post(self):
        return {"accept": request.headers.get("Accept")}  # ok: one safe header


class InventoryProxy(Resource):
    def get(self, sku):
        upstream = requests.get(f"{UPSTREAM_URL}/items/{sku}", headers=dict(request.headers), timeout=10)  # ok: forwarded upstream, not returned to the client
        return upstream.json(), upstream.status_code


@bp.app_errorhandler(404)
def not_found(error):
    return jsonify(error="not found", path=request.path, headers=dict(request.headers)), 404  # expect: KL204


@bp.app_errorhandler(405)
def method_not_allowed(error):
    return jsonify(error="method not allowed", method=request.method, path=request.path), 405  # ok: no headers


@bp.app_errorhandler(401)
def unauthorized(error):
    response = jsonify(error="unauthorized")
    response.headers["X-Debug-Headers"] = str(dict(request.headers))  # expect: KL204
    response.headers["WWW-Authenticate"] = 'Bearer realm="partner"'  # ok: a challenge, no secret
    return response, 401


@bp.app_errorhandler(500)
def internal_error(error):
    return render_template("errors/500.html", environ=request.environ), 500  # expect: KL204


@bp.app_errorhandler(503)
def unavailable(error):
    return render_template("errors/503.html", request_id=request.environ.get("HTTP_X_REQUEST_ID")), 503  # ok: one environ entry


api.add_resource(RequestEcho, "/echo")
api.add_resource(InventoryProxy, "/inventory/<sku>")
bp.add_url_rule("/runtime", view_func=RuntimeView.as_view("runtime"))


def build_support_bundle():
    return {"headers": dict(request.headers), "environ": {k: str(v) for k, v in request.environ.items()}}  # ok: not a route; attached to a private support ticket
