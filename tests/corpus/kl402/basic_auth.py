"""Hand-rolled HTTP Basic authentication for the metrics and reports pages."""
import os

from flask import Flask, Response, current_app, jsonify, request

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["ADMIN_PASSWORD"] = os.environ["ADMIN_PASSWORD"]
app.config["BASIC_AUTH_PASSWORD"] = os.environ["BASIC_AUTH_PASSWORD"]

ADMIN_USERNAME = os.environ.get("ADMIN_USERNAME", "admin")
REPORTS_PASSWORD = os.environ["REPORTS_PASSWORD"]


def challenge():
    return Response("Login required", 401, {"WWW-Authenticate": 'Basic realm="metrics"'})


@app.get("/metrics")
def metrics():  # expect: KL404
    auth = request.authorization
    if auth is None or auth.type != "basic":  # ok: presence and scheme checks
        return challenge()
    if auth.username != ADMIN_USERNAME:  # ok: a user name is not a secret
        return challenge()
    if auth.password != app.config["ADMIN_PASSWORD"]:  # expect: KL402
        return challenge()
    return jsonify(requests_total=0)


@app.get("/reports")
def reports():  # expect: KL404
    auth = request.authorization
    if not auth or not (auth.username == ADMIN_USERNAME and auth.password == REPORTS_PASSWORD):  # expect: KL402
        return challenge()
    return jsonify(reports=[])


@app.route("/dashboard")
def dashboard():  # expect: KL404
    if request.authorization and request.authorization.password == current_app.config.get("BASIC_AUTH_PASSWORD"):  # expect: KL402
        return jsonify(widgets=[])
    return challenge()
