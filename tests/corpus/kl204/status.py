"""Status page and feature flags for the front end."""
import os

from flask import Blueprint, current_app, jsonify
from flask.views import MethodView

bp = Blueprint("status", __name__, url_prefix="/status")

FEATURE_PREFIX = "FEATURE_"


@bp.get("/features")
def features():
    return jsonify({name: value for name, value in current_app.config.items() if name.startswith(FEATURE_PREFIX)})  # ok: only FEATURE_* flags


@bp.get("/runtime")
def runtime():
    return jsonify(config=dict(current_app.config))  # expect: KL204


@bp.get("/runtime/v2")
def runtime_v2():
    return jsonify(debug=current_app.debug, testing=current_app.testing, locale=current_app.config.get("BABEL_DEFAULT_LOCALE"))  # ok: non-secret settings


@bp.get("/modules")
def modules():
    return jsonify(sorted(globals()))  # ok: module-level names only


@bp.get("/modules/v2")
def modules_v2():
    return jsonify({name: repr(value) for name, value in globals().items()})  # expect: KL204


class SnapshotView(MethodView):
    def get(self):
        snapshot = {"config": dict(current_app.config), "environ": dict(os.environ)}
        return jsonify(snapshot)  # expect: KL204

    def post(self):
        snapshot = {"release": os.getenv("RELEASE"), "workers": os.cpu_count()}
        return jsonify(snapshot)  # ok: non-secret values


bp.add_url_rule("/snapshot", view_func=SnapshotView.as_view("snapshot"))


def status_summary():
    return {"env": dict(os.environ), "config": dict(current_app.config)}  # ok: not a route; used by the ops CLI


@bp.get("/summary")
def summary():
    return jsonify(region=os.getenv("AWS_REGION"), hostname=os.getenv("HOSTNAME"))  # ok: non-secret variables
