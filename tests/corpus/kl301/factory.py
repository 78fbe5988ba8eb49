"""Application factory used by gunicorn (wsgi:app) and the CLI."""
import os

from flask import Flask


def create_app():
    app = Flask(__name__)
    app.config.from_object("config.Settings")
    app.config.update(SECRET_KEY=os.environ["SECRET_KEY"], DEBUG=True)  # expect: KL301
    app.debug = True  # expect: KL301
    app.config.update(TESTING=False, JSON_SORT_KEYS=False)  # ok: no DEBUG
    app.testing = True  # ok: testing flag, not debug mode
    app.jinja_env.auto_reload = True  # ok: template reloading, not debug mode

    from .views import bp

    app.register_blueprint(bp)
    return app


def create_admin_app():
    admin_app = Flask("admin")
    admin_app.config["SECRET_KEY"] = os.environ["ADMIN_SECRET_KEY"]
    admin_app.config['DEBUG'] = True  # expect: KL301
    admin_app.config.update(DEBUG=False)  # ok: debug off
    return admin_app


def create_api_app():
    api_app = Flask("api")
    api_app.config["DEBUG"] = False  # ok: debug off
    api_app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"  # ok: from the environment
    api_app.debug = os.getenv("API_DEBUG", "false").lower() == "true"  # ok: from the environment
    return api_app
