"""GitHub and Facebook sign-in, plus the password-reset e-mail that carries a link."""
import hashlib
import hmac
import os
import secrets
from urllib.parse import urlencode

import requests
from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_mail import Message

from .extensions import mail
from .models import PasswordReset, User, db

bp = Blueprint("oauth", __name__, url_prefix="/oauth")

GITHUB_CLIENT_ID = os.environ["GITHUB_CLIENT_ID"]
GITHUB_CLIENT_SECRET = os.environ["GITHUB_CLIENT_SECRET"]
FACEBOOK_APP_ID = os.environ["FACEBOOK_APP_ID"]
FACEBOOK_APP_SECRET = os.environ["FACEBOOK_APP_SECRET"]
GRAPH_URL = "https://graph.facebook.com/v19.0"


@bp.get("/github/login")
def github_login():
    state = secrets.token_urlsafe(16)
    session["oauth_state"] = state  # ok: a CSRF nonce, not a secret of the app
    query = urlencode({"client_id": GITHUB_CLIENT_ID, "state": state, "redirect_uri": url_for("oauth.github_callback", _external=True)})  # ok: client id and state are public
    return redirect(f"https://github.com/login/oauth/authorize?{query}")  # ok: no secret in the query


@bp.get("/github/callback")
def github_callback():
    if request.args.get("state") != session.pop("oauth_state", None):  # ok: the state nonce is not a credential
        abort(400)
    code = request.args.get("code")  # ok: the authorization code is meant for the redirect URL
    token_url = f"https://github.com/login/oauth/access_token?client_id={GITHUB_CLIENT_ID}&client_secret={GITHUB_CLIENT_SECRET}&code={code}"  # expect: KL205
    access_token = requests.post(token_url, headers={"Accept": "application/json"}, timeout=10).json()["access_token"]
    profile = requests.get("https://api.github.com/user", headers={"Authorization": f"Bearer {access_token}"}, timeout=10).json()  # ok: token in a header
    session["user_id"] = User.from_github(profile).id  # ok: an identifier
    return redirect(url_for("main.index"))


def exchange_code(code):
    resp = requests.post("https://github.com/login/oauth/access_token", data={"client_id": GITHUB_CLIENT_ID, "client_secret": GITHUB_CLIENT_SECRET, "code": code}, headers={"Accept": "application/json"}, timeout=10)  # ok: form body, not the URL
    return resp.json()["access_token"]


def facebook_profile(access_token):
    return requests.get(f"{GRAPH_URL}/me?fields=id,name,email&access_token={access_token}", timeout=10).json()  # expect: KL205


def facebook_profile_v2(access_token):
    proof = hmac.new(FACEBOOK_APP_SECRET.encode(), access_token.encode(), hashlib.sha256).hexdigest()
    return requests.get(f"{GRAPH_URL}/me", params={"fields": "id,name", "appsecret_proof": proof}, headers={"Authorization": f"Bearer {access_token}"}, timeout=10).json()  # ok: an HMAC proof in the URL, the token in a header


def facebook_debug_token(input_token):
    return requests.get(f"{GRAPH_URL}/debug_token", params={"input_token": input_token, "access_token": f"{FACEBOOK_APP_ID}|{FACEBOOK_APP_SECRET}"}, timeout=10).json()  # expect: KL205


@bp.post("/password-reset")
def request_password_reset():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is not None:
        reset_token = secrets.token_urlsafe(32)
        db.session.add(PasswordReset(user_id=user.id, token_hash=hashlib.sha256(reset_token.encode()).hexdigest()))
        db.session.commit()
        link = url_for("oauth.reset_form", token=reset_token, _external=True)  # ok: the e-mailed one-time reset link is the design
        mail.send(Message("Reset your password", recipients=[user.email], body=f"Reset your password: {link}"))
    return {"status": "sent"}


@bp.get("/reset/<token>")
def reset_form(token):
    return render_template("reset_password.html", token=token)  # ok: the reset token from the URL, passed back to its form
