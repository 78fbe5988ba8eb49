"""Marshmallow schemas and the accounts blueprint that uses them."""
from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required
from marshmallow import Schema, fields

from .auth import admin_required
from .models import Patient, User, db

bp = Blueprint("accounts", __name__, url_prefix="/api/accounts")


class SignupSchema(Schema):
    email = fields.Email(required=True)
    password = fields.Str(required=True, load_only=True)  # ok: load_only, never dumped
    date_of_birth = fields.Date(required=True)  # ok: an input schema, only ever loaded


class AccountSchema(Schema):
    id = fields.Int(dump_only=True)
    email = fields.Email()  # ok: a contact address
    display_name = fields.Str()  # ok: public
    password = fields.Str(load_only=True)  # ok: load_only, never dumped
    date_of_birth = fields.Date()  # expect: KL210
    national_id = fields.Str()  # expect: KL210


class PublicAccountSchema(Schema):
    id = fields.Int()
    display_name = fields.Str()  # ok: public
    avatar_url = fields.Url()  # ok: public


class PatientSchema(Schema):
    id = fields.Int()
    name = fields.Str()
    ssn = fields.Str()  # expect: KL210
    dob = fields.Date()  # expect: KL210
    insurer = fields.Str()  # ok: not personal


signup_schema = SignupSchema()
account_schema = AccountSchema()
public_account_schema = PublicAccountSchema()
patient_schema = PatientSchema()


@bp.post("/")
def signup():
    data = signup_schema.load(request.get_json())
    user = User(email=data["email"], date_of_birth=data["date_of_birth"])
    user.set_password(data["password"])
    db.session.add(user)
    db.session.commit()
    return public_account_schema.dump(user), 201  # ok: the public schema


@bp.get("/")
@admin_required
def list_accounts():
    return jsonify(account_schema.dump(User.query.all(), many=True))


@bp.get("/<int:user_id>/public")
@login_required
def public_account(user_id):
    return public_account_schema.dump(db.get_or_404(User, user_id))  # ok: the public schema


@bp.get("/patients/<int:patient_id>")
@login_required
def get_patient(patient_id):
    return patient_schema.dump(db.get_or_404(Patient, patient_id))


@bp.get("/me/avatar")
@login_required
def my_avatar():
    return jsonify(avatar_url=current_user.avatar_url)  # ok: public
