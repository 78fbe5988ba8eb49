"""Class-based settings view protected by HTTP Basic authentication."""
from flask import Blueprint, current_app, jsonify, request
from flask.views import MethodView

bp = Blueprint("settings", __name__, url_prefix="/backoffice")


class SettingsView(MethodView):
    def get(self):
        auth = request.authorization
        if auth is None or auth.type.lower() != "basic":  # ok: presence and scheme checks
            return jsonify(error="authentication required"), 401
        if auth.username != current_app.config["SETTINGS_USER"]:  # ok: user name, not a secret
            return jsonify(error="forbidden"), 403
        return jsonify(theme="dark")

    def post(self):  # expect: KL404
        auth = request.authorization
        if auth is None:  # ok: presence check
            return jsonify(error="authentication required"), 401
        if auth.password != current_app.config["SETTINGS_PASSWORD"]:  # expect: KL402
            return jsonify(error="forbidden"), 403
        if current_app.config["SETTINGS_PASSWORD"] == current_app.config.get("ADMIN_PASSWORD"):  # ok: two config values
            current_app.logger.warning("settings password reuses the admin password")
        return jsonify(saved=True)


bp.add_url_rule("/settings", view_func=SettingsView.as_view("settings"))
