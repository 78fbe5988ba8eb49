"""JSON API, mounted at /api/v1 by ``create_app``."""
import os
import platform

from flask import Blueprint, abort, jsonify, request, send_from_directory
from flask.views import MethodView
from flask_jwt_extended import current_user as jwt_user, jwt_required
from flask_login import login_required
from flask_restful import Api, Resource

from .extensions import db, token_auth
from .models import Announcement, ApiKey, Club, Secret

api_bp = Blueprint("api", __name__)
api = Api(api_bp)


class KeyResource(Resource):
    method_decorators = [jwt_required()]

    def get(self, key_id):  # ok: /api/v1/keys/<id>, method_decorators apply jwt_required
        key = ApiKey.query.filter_by(id=key_id, owner_id=jwt_user.id).first_or_404()
        return {"id": key.id, "label": key.label, "last_used": key.last_used_at.isoformat()}


class SecretListResource(Resource):
    def get(self):  # expect: KL403
        return {"items": [{"name": s.name, "rotated_at": s.rotated_at.isoformat()} for s in Secret.query.all()]}


class ClubResource(Resource):
    def get(self, club_id):  # ok: /api/v1/clubs/<id>, public club page data
        club = db.get_or_404(Club, club_id)
        return {"id": club.id, "name": club.name, "sports": club.sports}


api.add_resource(KeyResource, "/keys/<int:key_id>")
api.add_resource(SecretListResource, "/secrets")
api.add_resource(ClubResource, "/clubs/<int:club_id>")


class EnvView(MethodView):
    def get(self):  # expect: KL403
        return jsonify(region=os.environ.get("AWS_REGION"), python=platform.python_version())


class ConfigView(MethodView):
    decorators = [login_required]

    def get(self):  # ok: /api/v1/config, MethodView decorators = [login_required]
        return jsonify(locale="en", timezone="UTC")


api_bp.add_url_rule("/env", view_func=EnvView.as_view("env"))
api_bp.add_url_rule("/config", view_func=ConfigView.as_view("config"))


@api_bp.get("/keys")
def list_key_labels():  # expect: KL403
    return jsonify([{"id": k.id, "label": k.label} for k in ApiKey.query.all()])


@api_bp.post("/keys/rotate")
@token_auth.login_required
def rotate_keys():  # ok: Flask-HTTPAuth token guard
    count = ApiKey.query.filter_by(owner_id=token_auth.current_user().id).update({"revoked": True})
    db.session.commit()
    return jsonify(revoked=count)


@api_bp.post("/internal/reindex")
@jwt_required()
def api_reindex():  # ok: flask-jwt-extended guard
    return jsonify(queued=True), 202


@api_bp.post("/debug/echo")
def debug_echo():  # expect: KL403
    return jsonify(received=request.get_json(silent=True))


@api_bp.post("/_internal/warmup")
def warmup():  # expect: KL403
    Club.query.limit(100).all()
    return jsonify(warmed=True)


@api_bp.post("/admin/announcements")
def post_announcement():  # expect: KL403
    item = Announcement(text=request.get_json()["text"])
    db.session.add(item)
    db.session.commit()
    return jsonify(id=item.id), 201


@api_bp.get("/environments")
def environments():  # ok: "environments" is not the segment "env"
    return jsonify(["indoor", "outdoor"])


@api_bp.get("/files/<path:config>")
def club_file(config):  # ok: <config> is a variable part, not a literal segment
    return send_from_directory("club_files", config)


@api_bp.get("/status")
def status():  # ok: public status, no admin-like segment
    return jsonify(ok=True)
