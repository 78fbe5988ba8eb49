"""User directory API."""
from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from .auth import admin_required
from .models import User, db

bp = Blueprint("users", __name__, url_prefix="/api/users")


def public_profile(user):
    return {"id": user.id, "display_name": user.display_name, "avatar_url": user.avatar_url}


@bp.get("/<int:user_id>")
@login_required
def get_user(user_id):
    user = db.get_or_404(User, user_id)
    return jsonify(id=user.id, name=user.full_name, email=user.email, ssn=user.ssn)  # expect: KL210


@bp.get("/<int:user_id>/card")
@login_required
def get_user_card(user_id):
    user = db.get_or_404(User, user_id)
    return jsonify(public_profile(user))  # ok: public profile fields only


@bp.get("/<int:user_id>/raw")
@admin_required
def get_user_raw(user_id):
    user = db.get_or_404(User, user_id)
    return jsonify(vars(user))  # expect: KL210


@bp.get("/<int:user_id>/export")
@login_required
def export_user(user_id):
    user = db.get_or_404(User, user_id)
    return {k: v for k, v in user.__dict__.items() if not k.startswith("_")}  # expect: KL210


@bp.get("/me")
@login_required
def me():
    return jsonify(id=current_user.id, email=current_user.email, display_name=current_user.display_name, locale=current_user.locale)  # ok: the user's own public profile fields


@bp.get("/me/security")
@login_required
def my_security():
    return jsonify(has_password=current_user.password_hash is not None, mfa_enabled=current_user.mfa_enabled)  # ok: booleans


@bp.get("/me/identity")
@login_required
def my_identity():
    return jsonify(ssn_last4=current_user.ssn[-4:] if current_user.ssn else None, verified=current_user.identity_verified)  # ok: short slice and a flag


@bp.get("/")
@login_required
def list_users():
    users = User.query.order_by(User.id).limit(50).all()
    return jsonify([{"id": u.id, "name": u.full_name, "dob": u.dob.isoformat()} for u in users])  # expect: KL210


@bp.get("/<int:user_id>/credentials")
@admin_required
def user_credentials(user_id):
    user = db.get_or_404(User, user_id)
    return {"id": user.id, "password_hash": user.password_hash, "last_login": user.last_login.isoformat()}  # expect: KL210|KL203


@bp.get("/search")
@login_required
def search_users():
    q = request.args.get("q", "")
    users = User.query.filter(User.display_name.ilike(f"%{q}%")).limit(20).all()
    return jsonify(results=[{"id": u.id, "display_name": u.display_name, "avatar_url": u.avatar_url} for u in users])  # ok: public fields


@bp.get("/count")
@login_required
def count_users():
    return jsonify(total=User.query.count(), with_ssn=User.query.filter(User.ssn.isnot(None)).count())  # ok: counts only
