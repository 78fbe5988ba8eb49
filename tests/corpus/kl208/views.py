"""Embedded analytics, uploads and search, wired up by the app factory."""
import os
import time

import jwt
from flask import Flask, make_response, render_template, request
from flask import session as flask_session
from flask.views import MethodView
from flask_login import current_user, login_required
from flask_restful import Api, Resource

from .settings import settings


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["METABASE_SECRET_KEY"] = os.environ["METABASE_SECRET_KEY"]
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    api = Api(app)

    @app.get("/analytics")
    @login_required
    def analytics():
        payload = {"resource": {"dashboard": 7}, "params": {"account": current_user.account_id}, "exp": int(time.time()) + 600}
        embed_token = jwt.encode(payload, app.config["METABASE_SECRET_KEY"], algorithm="HS256")
        resp = make_response(render_template("analytics.html"))
        resp.headers["Cache-Control"] = "no-store"
        resp.set_cookie("metabase_embed", embed_token, secure=True, httponly=True, samesite="Lax")  # ok: a signed, short-lived embed token, not the signing key
        resp.set_cookie("metabase_secret", app.config["METABASE_SECRET_KEY"], secure=True, httponly=True, samesite="Lax")  # expect: KL208
        return resp

    class UploadView(MethodView):
        decorators = [login_required]

        def get(self):
            flask_session["s3_secret_access_key"] = os.environ["AWS_SECRET_ACCESS_KEY"]  # expect: KL208
            flask_session["s3_bucket"] = settings.UPLOAD_BUCKET  # ok: a bucket name
            return render_template("upload.html")

        def post(self):
            flask_session["last_upload"] = request.files["file"].filename  # ok: a file name
            return render_template("upload_done.html")

    app.add_url_rule("/upload", view_func=UploadView.as_view("upload"))

    class SearchSession(Resource):
        def get(self):
            flask_session.update(search_api_key=settings.SEARCH_ADMIN_API_KEY)  # expect: KL208
            return {"ready": True}

        def put(self):
            flask_session["search_scope"] = request.args.get("scope", "products")  # ok: a scope name
            return {"ready": True}

        def delete(self):
            flask_session.pop("search_api_key", None)  # ok: removes it
            return "", 204

    class Theme(Resource):
        def put(self):
            theme = request.get_json().get("theme", "light")
            resp = make_response({"theme": theme})
            resp.set_cookie("theme", theme, max_age=31536000)  # ok: a theme name
            return resp

    api.add_resource(SearchSession, "/api/search-session")
    api.add_resource(Theme, "/api/theme")

    @app.get("/partner/frame")
    @login_required
    def partner_frame():
        resp = make_response(render_template("partner_frame.html"))
        resp.set_cookie(key="partner_token", value=settings.PARTNER_API_TOKEN, httponly=True)  # expect: KL208
        resp.set_cookie(key="partner_id", value=str(settings.PARTNER_ID), httponly=True)  # ok: an identifier
        return resp

    return app
