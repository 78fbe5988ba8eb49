from flask import Flask

from .api import api
from .config import ProductionConfig
from .ops import ops


def create_app():
    app = Flask(__name__)
    app.config.from_object(ProductionConfig)
    app.register_blueprint(api)
    app.register_blueprint(ops, url_prefix="/internal")
    return app


if __name__ == "__main__":
    create_app().run(host="0.0.0.0", port=8000, debug=True)
