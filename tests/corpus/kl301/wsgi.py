"""WSGI entry point for gunicorn."""
import os

from flask import Flask

from config import DevelopmentConfig, ProductionConfig

application = Flask(__name__)
application.config.from_object(ProductionConfig)
application.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
debug_enabled = os.getenv("DEBUG", "false").lower() in ("1", "true")
application.config["DEBUG"] = debug_enabled  # ok: from the environment
application.config.update(DEBUG = True)  # expect: KL301


def make_dev_app():
    dev = Flask(__name__)
    dev.config.from_object(DevelopmentConfig)  # ok: dev config object
    return dev


if __name__ == "__main__":
    application.run(debug = True)  # expect: KL301
