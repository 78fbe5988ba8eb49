"""Token helpers for the internal API: JWTs, webhook signatures, encrypted cookies."""
import hashlib
import hmac
import os
from datetime import datetime, timedelta, timezone

import jwt
import requests
from cryptography.fernet import Fernet
from flask import Blueprint, jsonify, request

bp = Blueprint("tokens", __name__, url_prefix="/tokens")

JWT_ALGORITHM = "HS256"  # ok: algorithm name
TOKEN_TYPE = "Bearer"  # ok: token type, not a token
AUTH_HEADER = "Authorization"  # ok: header name
TOKEN_TTL_SECONDS = 3600  # ok: number
API_TOKEN = os.getenv("API_TOKEN")  # ok: no default
SIGNING_SECRET = os.environ.get("SIGNING_SECRET", "")  # ok: empty default
INTERNAL_TOKEN = os.getenv("INTERNAL_TOKEN", "46ad331e3e09cf76ed02831c8eab10dca763b431")  # expect: KL101
REPORTING_SERVICE_JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJzdmMtcmVwb3J0aW5nIiwicm9sZSI6InNlcnZpY2UiLCJpYXQiOjE3MTcwMDAwMDB9.SsL0sCeE5o3DtKX7n-EZz_QSxTJOEme0hG_a3EzC3W7"  # expect: KL101

cookie_cipher = Fernet(b"2TuuI2dPoUpCWnmqzF6l4_Y7wNaAviC08bwDU0FalJk=")  # expect: KL101


def issue_token(user_id):
    payload = {"sub": str(user_id), "exp": datetime.now(timezone.utc) + timedelta(seconds=TOKEN_TTL_SECONDS)}
    return jwt.encode(payload, "Kp9#vR2!mQ7xLw4$zT8e", algorithm=JWT_ALGORITHM)  # expect: KL101


def decode_token(token):
    return jwt.decode(token, os.environ["JWT_SECRET"], algorithms=[JWT_ALGORITHM])  # ok: key read from the environment


def sign_webhook(body: bytes) -> str:
    return hmac.new(b"w3bh00k-S1gn1ng-K3y-9f2c", body, hashlib.sha256).hexdigest()  # expect: KL101


def call_partner(path, token="25106931f467af7b8b5d4f9adb3a101b"):  # expect: KL101
    return requests.get(f"https://partner.example/api/{path}", headers={AUTH_HEADER: f"{TOKEN_TYPE} {token}"}, timeout=5)  # ok: f-string around a variable


def call_reporting(path, token=None):  # ok: None default
    token = token or REPORTING_SERVICE_JWT
    return requests.get(f"https://reports.internal/{path}", headers={AUTH_HEADER: f"Bearer {token}"}, timeout=5)  # ok: no literal here


@bp.post("/login")
def login():  # expect: KL405
    user_id = request.form["user_id"]
    return jsonify(access_token=issue_token(user_id), token_type=TOKEN_TYPE, expires_in=TOKEN_TTL_SECONDS)  # ok: issuing a token is not a hardcoded secret
