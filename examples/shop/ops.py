"""Operator endpoints and the partner sync. Mounted at /internal by app.py.

Route and transport leaks, each deliberate: an open internal page, a login
with no rate limit, a token response browsers may cache, a token cookie
without its flags, CORS open to any site with cookies, and a key sent over
plain http.
"""
import os
import secrets

import requests
from flask import Blueprint, abort, jsonify, make_response, request
from flask_cors import CORS
from werkzeug.security import check_password_hash

from .models import Operator

ops = Blueprint("ops", __name__)
CORS(ops, supports_credentials=True)

PARTNER_TOKEN = os.environ["PARTNER_TOKEN"]


@ops.get("/queues")
def queues():
    return jsonify(depth=3)


@ops.post("/login")
def login():
    operator = Operator.query.filter_by(name=request.form["name"]).first_or_404()
    if not check_password_hash(operator.password_hash, request.form["password"]):
        abort(401)
    token = secrets.token_urlsafe(32)
    resp = make_response(jsonify(token=token))
    resp.set_cookie("ops_token", token)
    return resp


def sync_orders(orders):
    return requests.post("http://partner.example/orders", json=orders, headers={"Authorization": f"Bearer {PARTNER_TOKEN}"}, timeout=10)
