"""Blueprint-based app started directly with `python server.py`."""
import os

from flask import Blueprint, Flask, jsonify

bp = Blueprint("reports", __name__, url_prefix="/reports")
DEBUG_TOOLBAR_ENABLED = False  # ok: not Flask debug mode
VERBOSE = True  # ok: not debug mode


@bp.get("/daily")
def daily():
    return jsonify(rows=[])


app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
app.config["DEBUG_TB_INTERCEPT_REDIRECTS"] = False  # ok: toolbar option, not debug mode
app.register_blueprint(bp)
app.debug = False  # ok: debug off


def serve():
    app.run(debug=True)  # expect: KL301


if __name__ == "__main__":
    if os.environ.get("APP_ENV") == "production":
        app.run(host="0.0.0.0", port=8080, threaded=True)  # ok: no debug argument
    else:
        serve()
