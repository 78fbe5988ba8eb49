"""Single-module inventory app."""
import logging
import os

from flask import Flask, jsonify

logging.basicConfig(level=logging.DEBUG)  # ok: log level, not Flask debug mode

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["DEBUG"] = True  # expect: KL301
app.config["TESTING"] = True  # ok: TESTING is not debug mode
app.config["PROPAGATE_EXCEPTIONS"] = True  # ok: not debug mode
app.config["TEMPLATES_AUTO_RELOAD"] = True  # ok: not debug mode
app.config["SQLALCHEMY_ECHO"] = False  # ok: not debug mode
app.logger.setLevel(logging.DEBUG)  # ok: log level


@app.route("/items")
def items():
    return jsonify(items=[], debug=app.debug)  # ok: reading the flag


@app.route("/health")
def health():
    if app.debug:  # ok: reading the flag
        return jsonify(status="ok", mode="debug")
    return jsonify(status="ok")


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 5000)), debug=True)  # expect: KL301
