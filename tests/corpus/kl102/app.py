"""shop: how the config files in this folder are loaded.

The deploy script passes .env.production with ``docker run --env-file``;
``flask run`` reads .flaskenv and then .env through python-dotenv.
"""
import json
import os
from pathlib import Path

import yaml
from dotenv import load_dotenv
from flask import Flask

HERE = Path(__file__).parent


def create_app():
    load_dotenv(HERE / ".env")
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    with open(HERE / "config.yaml", encoding="utf-8") as fh:
        app.config["SHOP"] = yaml.safe_load(fh)
    app.config.from_file(str(HERE / "settings.json"), load=json.load)
    return app
