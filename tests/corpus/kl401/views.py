"""Exports, calendar feeds, webhooks and OAuth endpoints, registered by the app factory."""
import hmac
import os

import openai
from flask import Flask, abort, jsonify, redirect, request, session, url_for
from flask.views import MethodView
from flask_restful import Api, Resource

from .extensions import limiter
from .models import CalendarFeed, Export, OAuthClient, User
from .oauth import exchange_code


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["WEBHOOK_SECRET"] = os.environ["WEBHOOK_SECRET"]
    limiter.init_app(app)
    api = Api(app)

    class ExportView(MethodView):
        def get(self, export_id):
            token = request.args.get("token")  # expect: KL401
            export = Export.find_by_download_token(export_id, token)
            if export is None:
                abort(404)
            return jsonify(url=export.download_url)

    app.add_url_rule("/exports/<int:export_id>", view_func=ExportView.as_view("export"))

    class PrivateCalendar(Resource):
        def get(self, user_id):
            args = request.args
            private_token = args.get("private_token")  # expect: KL401
            feed = CalendarFeed.for_user(user_id, private_token)
            if feed is None:
                abort(404)
            return {"events": feed.events()}

    class PublicCalendar(Resource):
        def get(self, user_id):
            since = request.args.get("since")  # ok: a date
            return {"events": CalendarFeed.public_events(user_id, since=since)}

    api.add_resource(PrivateCalendar, "/calendar/<int:user_id>/private")
    api.add_resource(PublicCalendar, "/calendar/<int:user_id>/public")

    @app.post("/hooks/payments")
    def payments_webhook():  # expect: KL404
        supplied = request.args.get("secret", "")  # expect: KL401
        if not hmac.compare_digest(supplied, app.config["WEBHOOK_SECRET"]):
            abort(403)
        return "", 204

    @app.post("/hooks/shipping")
    @limiter.limit("120 per minute")
    def shipping_webhook():
        supplied = request.headers.get("X-Webhook-Secret", "")  # ok: a header
        if not hmac.compare_digest(supplied, app.config["WEBHOOK_SECRET"]):
            abort(403)
        return "", 204

    @app.get("/oauth/callback")
    def oauth_callback():
        code = request.args.get("code")  # ok: an OAuth authorization code belongs in the redirect URL
        state = request.args.get("state")  # ok: the CSRF state
        if not state or state != session.pop("oauth_state", None):  # ok: the state nonce is not a credential
            abort(400)
        session["user_id"] = exchange_code(code)
        return redirect(url_for("index"))

    @app.get("/oauth/introspect")
    def introspect():
        token_type = request.args.get("token_type", "access")  # ok: a token type
        access_token = request.args.get("access_token")  # expect: KL401
        return jsonify(token_type=token_type, active=User.token_is_active(access_token))

    @app.post("/oauth/token")
    @limiter.limit("30 per minute")
    def token_endpoint():
        client_id = request.values.get("client_id")  # ok: a public client id
        client_secret = request.values.get("client_secret")  # expect: KL401
        client = OAuthClient.authenticate(client_id, client_secret)
        if client is None:
            abort(401)
        resp = jsonify(access_token=client.issue_token(), token_type="Bearer", expires_in=3600)
        resp.headers["Cache-Control"] = "no-store"
        return resp

    @app.get("/summaries")
    def summarize():
        max_tokens = request.args.get("max_tokens", 256, type=int)  # ok: a generation limit
        user_api_key = request.args.get("openai_api_key")  # expect: KL401
        client = openai.OpenAI(api_key=user_api_key)
        result = client.chat.completions.create(model="gpt-4o-mini", max_tokens=max_tokens, messages=[{"role": "user", "content": request.args.get("text", "")}])
        return jsonify(summary=result.choices[0].message.content)

    return app
