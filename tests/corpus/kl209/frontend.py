"""Build step: writes the front end's runtime configuration into static/ and templates/."""
import json
import os
from pathlib import Path

from flask import Flask

STATIC_DIR = Path(__file__).parent / "static"
TEMPLATE_DIR = Path(__file__).parent / "templates"
PUBLIC_SETTINGS = ("API_BASE_URL", "SENTRY_ENVIRONMENT", "RELEASE")


def write_frontend_config(app: Flask):
    config = {"apiBase": app.config["API_BASE_URL"], "mapsKey": app.config["MAPS_API_KEY"]}
    (STATIC_DIR / "config.json").write_text(json.dumps(config))  # expect: KL209
    public = {name: app.config.get(name) for name in PUBLIC_SETTINGS}
    (STATIC_DIR / "public-config.json").write_text(json.dumps(public))  # ok: allow-listed, non-secret settings


def write_env_js(app: Flask):
    with open(os.path.join(app.static_folder, "js", "env.js"), "w") as fh:
        fh.write(f"window.STRIPE_KEY = '{app.config['STRIPE_SECRET_KEY']}';\n")  # expect: KL209
        fh.write(f"window.STRIPE_PUBLISHABLE_KEY = '{app.config['STRIPE_PUBLISHABLE_KEY']}';\n")  # ok: publishable key is public
        fh.write("window.RELEASE = %s;\n" % json.dumps(app.config.get("RELEASE")))  # ok: a release tag
        fh.write("window.ALGOLIA_SEARCH_KEY = '%s';\n" % app.config["ALGOLIA_ADMIN_API_KEY"])  # expect: KL209


def write_analytics_partial(app: Flask):
    snippet = '<script>window.analyticsSecret = "{}";</script>\n'.format(app.config["ANALYTICS_API_SECRET"])
    (TEMPLATE_DIR / "partials" / "analytics.html").write_text(snippet)  # expect: KL209
    (TEMPLATE_DIR / "partials" / "analytics_id.html").write_text(f'<script>window.analyticsId = "{app.config["ANALYTICS_SITE_ID"]}";</script>\n')  # ok: a public site id


def dump_config_snapshot(app: Flask):
    with open(STATIC_DIR / "snapshots" / "config.json", "w") as fh:
        json.dump(dict(app.config), fh, default=str, indent=2)  # expect: KL209
    with open(STATIC_DIR / "snapshots" / "config-keys.json", "w") as fh:
        json.dump(sorted(app.config), fh, indent=2)  # ok: setting names only


def write_robots():
    (STATIC_DIR / "robots.txt").write_text("User-agent: *\nDisallow: /account/\n")  # ok: nothing secret


def create_app():
    app = Flask(__name__, static_folder=str(STATIC_DIR), template_folder=str(TEMPLATE_DIR))
    app.config.from_prefixed_env()
    app.config["MAPS_API_KEY"] = os.environ["MAPS_API_KEY"]
    app.config["STRIPE_SECRET_KEY"] = os.environ["STRIPE_SECRET_KEY"]
    app.config["STRIPE_PUBLISHABLE_KEY"] = os.environ["STRIPE_PUBLISHABLE_KEY"]
    write_frontend_config(app)
    write_env_js(app)
    write_analytics_partial(app)
    write_robots()
    return app
