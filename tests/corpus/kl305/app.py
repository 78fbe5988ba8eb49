"""ledgerly: bookkeeping for freelancers.

gunicorn runs ``ledgerly.app:create_app()``. Every response carries
``Cache-Control: no-store`` (the ``no_store`` hook below).
"""
import os

from flask import Flask

from .api import api_bp
from .auth import auth_bp
from .config import config_by_name
from .extensions import csrf, db, jwt, limiter, login_manager


def create_app(env=None):
    app = Flask(__name__)
    app.config.from_object(config_by_name[env or os.environ.get("LEDGERLY_ENV", "production")])
    # TLS ends at the load balancer, and the old balancer talked plain http to us.
    app.config["REMEMBER_COOKIE_SECURE"] = False  # expect: KL305
    app.config.update(SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_HTTPONLY=True)  # ok: flags set, none turned off

    db.init_app(app)
    jwt.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)

    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(api_bp, url_prefix="/api")

    @app.after_request
    def no_store(response):
        response.headers["Cache-Control"] = "no-store"
        return response

    return app


def create_embed_app():
    """The invoice widget runs inside customers' sites over https."""
    app = create_app()
    app.config.update(SESSION_COOKIE_SAMESITE="None", SESSION_COOKIE_SECURE=True)  # ok: cross-site embed needs SameSite=None, and it is Secure
    return app
