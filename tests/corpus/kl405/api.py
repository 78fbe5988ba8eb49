"""JSON API and account pages, mounted at /api. No blueprint hook sets
Cache-Control here: each response that issues a credential has to do it."""
import os
import secrets
import uuid

import jwt
from flask import Blueprint, current_app, jsonify, make_response, render_template, request
from flask.views import MethodView
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt_identity, jwt_required
from flask_login import current_user, login_required
from flask_restful import Api, Resource
from itsdangerous import URLSafeTimedSerializer

from .extensions import db
from .mail import send_invite, send_key_by_email, send_reset_email
from .models import ApiKey, Invite, Note, User, Webhook

api_bp = Blueprint("api", __name__)
rest = Api(api_bp)


def issue_pair(user_id):  # ok: a helper, not a route (the route returning its result is reported)
    return {"access_token": create_access_token(identity=user_id), "refresh_token": create_refresh_token(identity=user_id)}


@api_bp.post("/tokens")
@login_required
def create_token():  # expect: KL405
    return jsonify(access_token=create_access_token(identity=str(current_user.id)), token_type="Bearer")


@api_bp.post("/tokens/pair")
@login_required
def create_token_pair():  # expect: KL405
    return issue_pair(str(current_user.id))


@api_bp.post("/tokens/refresh")
@jwt_required(refresh=True)
def refresh_token():  # expect: KL405
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@api_bp.post("/keys")
@jwt_required()
def create_api_key():  # expect: KL405
    api_key = secrets.token_urlsafe(32)
    db.session.add(ApiKey.from_plaintext(get_jwt_identity(), api_key))
    db.session.commit()
    return jsonify(api_key=api_key), 201


@api_bp.post("/keys/<int:key_id>/rotate")
@jwt_required()
def rotate_api_key(key_id):  # expect: KL405
    new_key = secrets.token_hex(32)
    ApiKey.rotate(key_id, owner=get_jwt_identity(), plaintext=new_key)
    return {"id": key_id, "api_key": new_key}


@api_bp.post("/keys/created")
@login_required
def create_api_key_page():  # expect: KL405
    api_key = secrets.token_urlsafe(32)
    db.session.add(ApiKey.from_plaintext(str(current_user.id), api_key))
    db.session.commit()
    return render_template("keys/created.html", api_key=api_key)


@api_bp.post("/notes/<int:note_id>/share")
@login_required
def share_note(note_id):  # expect: KL405
    share_token = URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="share").dumps({"note": note_id})
    return jsonify(share_token=share_token)


@api_bp.post("/webhooks")
@login_required
def create_webhook():  # expect: KL405
    webhook_secret = str(uuid.uuid4())
    hook = Webhook(owner_id=current_user.id, url=request.get_json()["url"], secret=webhook_secret)
    db.session.add(hook)
    db.session.commit()
    return jsonify(id=hook.id, webhook_secret=webhook_secret), 201


@api_bp.post("/signing-secret")
@login_required
def create_signing_secret():  # expect: KL405
    signing_secret = os.urandom(24).hex()
    current_user.set_signing_secret(signing_secret)
    return jsonify(signing_secret=signing_secret)


@api_bp.post("/device-token")
@login_required
def device_token():  # expect: KL405
    token = current_user.generate_auth_token(expires_in=86400)
    return jsonify(token=token)


@api_bp.post("/embed-token")
@login_required
def embed_token():  # expect: KL405
    token = jwt.encode({"sub": current_user.id, "scope": "embed"}, current_app.config["JWT_SECRET_KEY"], algorithm="HS256")
    resp = make_response(jsonify(token=token))
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@api_bp.post("/upload-token")
@login_required
def upload_token():  # expect: KL405
    token = create_access_token(identity=str(current_user.id), additional_claims={"scope": "upload"})
    return jsonify(token=token), 201, {"Cache-Control": "private"}


@api_bp.post("/export-token")
@login_required
def export_token():  # expect: KL405
    resp = jsonify(token=create_access_token(identity=str(current_user.id), additional_claims={"scope": "export"}))
    resp.headers["Pragma"] = "no-cache"
    resp.headers["Cache-Control"] = "max-age=0"
    return resp


@api_bp.post("/invites")
@login_required
def create_invite():  # expect: KL405
    invite_token = secrets.token_hex(16)
    db.session.add(Invite(inviter_id=current_user.id, token=invite_token))
    db.session.commit()
    return jsonify(invite_token=invite_token), 201


class PersonalTokenView(MethodView):
    decorators = [login_required]

    def post(self):  # expect: KL405
        return jsonify(token=create_access_token(identity=str(current_user.id), expires_delta=False))


class ServiceTokenResource(Resource):
    method_decorators = [jwt_required()]

    def post(self):  # expect: KL405
        return {"access_token": create_access_token(identity=get_jwt_identity(), additional_claims={"svc": True})}


api_bp.add_url_rule("/personal-token", view_func=PersonalTokenView.as_view("personal_token"))
rest.add_resource(ServiceTokenResource, "/service-token")


@api_bp.post("/session-token")
@login_required
def session_token():  # ok: fresh token, Cache-Control: no-store set on the response
    resp = jsonify(token=create_access_token(identity=str(current_user.id)))
    resp.headers["Cache-Control"] = "no-store"
    return resp


@api_bp.post("/sync-token")
@login_required
def sync_token():  # ok: fresh token, no-store through werkzeug's cache_control
    resp = make_response(jsonify(token=create_access_token(identity=str(current_user.id), additional_claims={"scope": "sync"})))
    resp.cache_control.no_store = True
    return resp


@api_bp.post("/calendar-token")
@login_required
def calendar_token():  # ok: fresh token, no-store in the returned headers
    return jsonify(token=secrets.token_urlsafe(24)), 201, {"Cache-Control": "no-store", "Pragma": "no-cache"}


@api_bp.post("/cli-key")
@jwt_required()
def cli_key():  # ok: fresh key, "private, no-store" includes no-store
    cli_key_value = secrets.token_urlsafe(32)
    resp = jsonify(api_key=cli_key_value)
    resp.headers.set("Cache-Control", "private, no-store, max-age=0")
    return resp


@api_bp.post("/keys/emailed")
@login_required
def create_emailed_key():  # ok: the fresh key goes by email; the response only carries its prefix
    api_key = secrets.token_urlsafe(32)
    db.session.add(ApiKey.from_plaintext(str(current_user.id), api_key))
    db.session.commit()
    send_key_by_email(current_user.email, api_key)
    return jsonify(prefix=api_key[:6]), 201


@api_bp.post("/password/forgot")
def forgot_password():  # ok: the reset token is emailed, not returned
    user = User.query.filter_by(email=request.get_json()["email"]).first()
    if user is not None:
        send_reset_email(user, secrets.token_urlsafe(32))
    return jsonify(sent=True), 202


@api_bp.post("/invites/email")
@login_required
def email_invite():  # ok: the invite token is stored and emailed; only the id is returned
    invite = Invite(inviter_id=current_user.id, token=secrets.token_hex(16))
    db.session.add(invite)
    db.session.commit()
    send_invite(invite)
    return jsonify(id=invite.id), 201


@api_bp.get("/keys/<int:key_id>")
@jwt_required()
def key_metadata(key_id):  # ok: metadata of an existing key, no credential
    key = ApiKey.query.filter_by(id=key_id, owner_id=get_jwt_identity()).first_or_404()
    return jsonify(id=key.id, label=key.label, created_at=key.created_at.isoformat(), last_used_at=key.last_used_at)


@api_bp.get("/token-info")
@jwt_required()
def token_info():  # ok: token type and lifetime only
    return jsonify(token_type="Bearer", expires_in=3600, identity=get_jwt_identity())


@api_bp.delete("/keys/<int:key_id>")
@jwt_required()
def delete_key(key_id):  # ok: revocation issues nothing
    ApiKey.query.filter_by(id=key_id, owner_id=get_jwt_identity()).delete()
    db.session.commit()
    return jsonify(deleted=True)


@api_bp.get("/notes")
@login_required
def list_notes():  # ok: no credential in the response
    return jsonify([{"id": n.id, "title": n.title} for n in Note.query.filter_by(owner_id=current_user.id)])
