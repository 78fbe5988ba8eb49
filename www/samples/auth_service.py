"""Sample: token auth with a settings object, a helper and a class-based view."""
import logging

from flask import Flask, current_app, jsonify, request
from flask.views import MethodView

app = Flask(__name__)
audit = logging.getLogger("audit")


class Settings:
    JWT_SECRET = "Zx9kLm2pQ7wE4rT6yU8iO0pA"
    TOKEN_TYPE = "Bearer"


settings = Settings()


def bearer_token():
    header = request.headers.get("Authorization", "")
    return header.removeprefix("Bearer ")


class TokenView(MethodView):
    def get(self):
        token = bearer_token()
        audit.warning("token check for %s", token)
        if token == current_app.config["SERVICE_TOKEN"]:
            return jsonify(ok=True, secret=settings.JWT_SECRET)
        return jsonify(ok=False), 403


app.add_url_rule("/token", view_func=TokenView.as_view("token"))
