"""Apps from beacon 1.x, still deployed from module-level objects."""
import flask
from flask import Flask, jsonify
from flask_talisman import Talisman

from .extensions import HSTS, talisman

app = Flask(__name__)  # ok: wrapped in Talisman a few lines below


@app.get("/")
def index():
    return jsonify(version="1.9")


Talisman(app)

pinger = Flask("pinger")  # expect: KL304
mailer = flask.Flask("mailer")  # expect: KL304
exporter = Flask("exporter", static_folder="exports")  # expect: KL304

feeds = Flask("feeds")  # expect: KL304
feeds.config["SESSION_COOKIE_SECURE"] = True

tracker = Flask("tracker")  # ok: HSTS hook below

reporter = Flask("reporter")  # ok: talisman.init_app below
talisman.init_app(reporter)


@tracker.after_request
def tracker_hsts(response):
    response.headers["Strict-Transport-Security"] = HSTS
    return response


@pinger.get("/ping")
def ping():
    return "pong"
