"""One gunicorn process serving several apps under path prefixes.

Talisman on ``front`` only runs for requests that reach ``front``:
DispatcherMiddleware hands /status, /hooks and /embed straight to the
mounted apps, so each of those needs its own enforcement.
"""
from flask import Flask, jsonify
from flask_talisman import Talisman
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from .extensions import add_hsts

front = Flask(__name__)  # ok: Talisman
Talisman(front)

status_app = Flask("status")  # expect: KL304
hooks_app = Flask("hooks")  # expect: KL304
embed_app = Flask("embed")  # expect: KL304

api_app = Flask("api")  # ok: its own Talisman
Talisman(api_app, content_security_policy={"default-src": "'none'"})

graphs_app = Flask("graphs")  # ok: add_hsts (extensions.py)
add_hsts(graphs_app)


@status_app.get("/")
def status_index():
    return jsonify(components=[])


@hooks_app.post("/statuspage")
def statuspage_hook():
    return jsonify(received=True)


@embed_app.get("/badge.svg")
def badge():
    return "<svg/>", 200, {"Content-Type": "image/svg+xml"}


front.wsgi_app = DispatcherMiddleware(front.wsgi_app, {"/status": status_app, "/hooks": hooks_app, "/embed": embed_app, "/api": api_app, "/graphs": graphs_app})
