"""Application factory in the style of the Flask tutorial."""
import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(SECRET_KEY="dev", DATABASE=os.path.join(app.instance_path, "flaskr.sqlite"))  # expect: KL101
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)

    app.config.setdefault("UPLOAD_TOKEN_HEADER", "X-Upload-Token")  # ok: header name
    app.config.setdefault("API_KEY", os.environ.get("API_KEY"))  # ok: env read without a default

    os.makedirs(app.instance_path, exist_ok=True)

    from . import auth, blog

    app.register_blueprint(auth.bp)
    app.register_blueprint(blog.bp)
    return app


def create_worker_app():
    app = create_app()
    app.config.update(SECRET_KEY=os.environ["SECRET_KEY"])  # ok: env read
    app.config.update(CELERY_BROKER_PASSWORD="Lb7#qT2vN9xWm4")  # expect: KL101
    return app
