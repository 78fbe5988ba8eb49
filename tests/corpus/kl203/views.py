"""Class-based views, an error handler and a lazily registered view."""
import os

from flask import Flask, current_app, jsonify
from flask.views import MethodView
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app)

API_TOKEN = os.environ["API_TOKEN"]
AWS_REGION = os.getenv("AWS_REGION", "eu-west-1")


def _load_signing_key():
    return os.environ["SIGNING_KEY"]  # ok: a helper, not a route; nothing is sent here


def _oauth_settings():
    return {"client_id": current_app.config["OAUTH_CLIENT_ID"], "client_secret": current_app.config["OAUTH_CLIENT_SECRET"]}  # ok: a helper, not a route


class OAuthSettingsView(MethodView):
    def get(self):
        return jsonify(client_secret=current_app.config["OAUTH_CLIENT_SECRET"])  # expect: KL203

    def post(self):
        return jsonify(client_id=current_app.config["OAUTH_CLIENT_ID"])  # ok: the client id is public


app.add_url_rule("/oauth/settings", view_func=OAuthSettingsView.as_view("oauth_settings"))


class AwsCredentials(Resource):
    def get(self):
        return {"region": AWS_REGION, "aws_secret_access_key": os.environ["AWS_SECRET_ACCESS_KEY"]}  # expect: KL203


class AwsRegion(Resource):
    def get(self):
        return {"region": AWS_REGION}  # ok: not a secret


api.add_resource(AwsCredentials, "/aws/credentials")
api.add_resource(AwsRegion, "/aws/region")


@app.errorhandler(401)
def unauthorized(error):
    return jsonify(error="unauthorized", hint=f"use token {API_TOKEN}"), 401  # expect: KL203


@app.errorhandler(403)
def forbidden(error):
    return jsonify(error="forbidden", hint="send a valid token in the Authorization header"), 403  # ok: fixed message


def signing_key_view():
    return jsonify(key=_load_signing_key())  # expect: KL203


def oauth_summary_view():
    return jsonify(oauth=_oauth_settings())  # expect: KL203


def signing_status_view():
    return jsonify(signing_key_set=bool(_load_signing_key()))  # ok: bool


app.add_url_rule("/signing/key", view_func=signing_key_view)
app.add_url_rule("/oauth/summary", view_func=oauth_summary_view)
app.add_url_rule("/signing/status", view_func=signing_status_view)
