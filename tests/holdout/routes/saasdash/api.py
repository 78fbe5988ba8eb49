"""Public JSON API (mounted at /api/v1) and embeddable widgets (at /widgets)."""
import hmac
import secrets
from datetime import timedelta

from flask import Blueprint, abort, current_app, jsonify, make_response, request
from flask_cors import CORS, cross_origin
from flask_jwt_extended import create_access_token, create_refresh_token, get_jwt, get_jwt_identity, jwt_required
from werkzeug.security import check_password_hash

from .extensions import db
from .models import ApiKey, OAuthClient, User
from .security import digest

api_bp = Blueprint("api", __name__)
widgets_bp = Blueprint("widgets", __name__)
CORS(widgets_bp, supports_credentials=True)  # expect: KL302


@api_bp.get("/health")
def health():  # ok: public health check
    return {"status": "ok"}


@api_bp.get("/plans")
@cross_origin()  # ok: public data, no credentials
def plans():
    return jsonify(plans=[{"id": "starter", "seats": 5}, {"id": "team", "seats": 50}])


@api_bp.post("/tokens")
def issue_tokens():  # expect: KL405
    body = request.get_json(force=True)
    user = User.query.filter_by(email=body.get("email", "").lower()).first()
    if user is None or not check_password_hash(user.password_hash, body.get("password", "")):
        return jsonify(error="invalid credentials"), 401
    return jsonify(access_token=create_access_token(identity=str(user.id)), refresh_token=create_refresh_token(identity=str(user.id)))


@api_bp.post("/tokens/refresh")
@jwt_required(refresh=True)
def refresh_tokens():  # expect: KL405
    return jsonify(access_token=create_access_token(identity=get_jwt_identity()))


@api_bp.post("/tokens/introspect")
@jwt_required()
def introspect():  # ok: returns claims about the token, not a new one
    claims = get_jwt()
    return jsonify(active=True, sub=claims["sub"], exp=claims["exp"], token_type_hint=request.form.get("token_type_hint", "access_token"))


@api_bp.post("/oauth/token")
def oauth_token():  # expect: KL405
    client = OAuthClient.query.filter_by(client_id=request.form.get("client_id", "")).first()
    if client is None or not check_password_hash(client.secret_hash, request.form.get("client_secret", "")):
        return jsonify(error="invalid_client"), 401
    token = create_access_token(identity=f"client:{client.client_id}", additional_claims={"scope": client.scopes})
    return jsonify(access_token=token, token_type="Bearer", expires_in=900)


@api_bp.get("/keys")
@jwt_required()
def list_keys():  # ok: jwt_required guard
    tenant_id = User.query.get_or_404(int(get_jwt_identity())).tenant_id
    return jsonify(keys=[{"id": k.id, "prefix": k.prefix, "label": k.label} for k in ApiKey.query.filter_by(tenant_id=tenant_id)])


@api_bp.post("/keys/<int:key_id>/rotate")
def rotate_key(key_id):  # expect: KL403, KL405
    key = db.get_or_404(ApiKey, key_id)
    raw = "sd_live_" + secrets.token_urlsafe(32)
    key.prefix, key.digest = raw[:12], digest(raw)
    db.session.commit()
    return jsonify(id=key.id, api_key=raw)


@api_bp.post("/keys/verify")
def verify_key():  # ok: the app-wide default limit applies
    presented = request.headers.get("X-API-Key", "")
    key = ApiKey.query.filter_by(prefix=presented[:12], revoked_at=None).first()
    valid = key is not None and hmac.compare_digest(digest(presented), key.digest)
    return jsonify(valid=valid)


@api_bp.get("/me")
@jwt_required()
def me():
    user = User.query.get_or_404(int(get_jwt_identity()))
    return jsonify(id=user.id, name=user.name, role=user.role, tenant=user.tenant_id)


@api_bp.post("/embed/session")
@cross_origin(origins="*", supports_credentials=True)  # expect: KL302
@jwt_required()
def embed_session():  # expect: KL405
    embed_token = create_access_token(identity=get_jwt_identity(), additional_claims={"scope": "embed"}, expires_delta=timedelta(minutes=30))
    resp = jsonify(embed_token=embed_token, expires_in=1800)
    resp.set_cookie("api_session", embed_token, secure=True, httponly=False, samesite="None")  # expect: KL305
    return resp


@api_bp.post("/embed/preview")
@cross_origin(origins=["https://partners.saasdash.io", "https://portal.leadbridge.net"], supports_credentials=True)  # ok: explicit origin list
@jwt_required()
def embed_preview():
    return jsonify(preview=True)


@api_bp.route("/uploads", methods=["OPTIONS"])
def uploads_preflight():
    resp = make_response("", 204)
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # expect: KL302
    resp.headers["Access-Control-Allow-Credentials"] = "true"
    resp.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
    resp.headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type"
    return resp


@api_bp.route("/exports", methods=["OPTIONS"])
def exports_preflight():
    resp = make_response("", 204)
    origin = request.headers.get("Origin", "")
    if origin in current_app.config["CORS_ORIGINS"]:
        resp.headers["Access-Control-Allow-Origin"] = origin  # ok: reflected only from the allow-list
        resp.headers["Access-Control-Allow-Credentials"] = "true"
        resp.headers["Vary"] = "Origin"
    return resp


@api_bp.route("/fonts/<path:name>", methods=["OPTIONS", "GET"])
def fonts(name):
    resp = make_response(current_app.send_static_file(f"fonts/{name}"))
    resp.headers["Access-Control-Allow-Origin"] = request.headers.get("Origin", "*")  # ok: reflected, but credentials are not allowed
    return resp


@widgets_bp.get("/usage")
@jwt_required(locations=["cookies"])
def widget_usage():
    return jsonify(user=get_jwt_identity(), seats_used=3)
