"""shop: the storefront web app.

``create_app`` binds the limiter from extensions.py, whose default limits then
cover every route of this app, blueprints included, except the exempt ones.
The partner portal in partner_app.py is a separate Flask app.
"""
import os

from flask import Flask, jsonify

from .api import api_bp
from .auth.views import auth_bp, kiosk_bp
from .extensions import bcrypt, db, limiter, login_manager


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]

    db.init_app(app)
    bcrypt.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api_bp, url_prefix="/api")
    app.register_blueprint(kiosk_bp, url_prefix="/kiosk")
    # In-store kiosks share one NAT address, so IP-based limits would lock out a whole store.
    limiter.exempt(kiosk_bp)

    @app.get("/healthz")
    @limiter.exempt
    def healthz():  # ok: exempt, but verifies nothing
        return jsonify(status="ok")

    return app
