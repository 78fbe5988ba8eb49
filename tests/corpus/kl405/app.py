"""notes: a shared-notes service with a web UI, a JSON API and an OAuth
provider for third-party apps.

No app-wide ``after_request`` hook touches Cache-Control: auth.py registers
``no_store`` on its blueprint, oauth.py registers ``no_cache`` on its own.
"""
import os

from flask import Flask, jsonify

from .api import api_bp
from .auth import auth_bp
from .extensions import db, jwt, limiter, login_manager
from .oauth import oauth_bp


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["JWT_SECRET_KEY"] = os.environ["JWT_SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]

    db.init_app(app)
    jwt.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(oauth_bp, url_prefix="/oauth")

    @app.get("/.well-known/jwks.json")
    def jwks():  # ok: public signing keys, not a credential
        return jsonify(keys=app.extensions["oauth_keys"].public_jwks())

    @app.get("/healthz")
    def healthz():  # ok: no credential in the response
        return jsonify(status="ok")

    return app
