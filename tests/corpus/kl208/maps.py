"""Store locator pages: the browser needs map data but must never hold server keys."""
import os

from flask import Blueprint, current_app, make_response, render_template, request, session
from flask_login import current_user, login_required

from .settings import settings

bp = Blueprint("locator", __name__, url_prefix="/locator")

MAPS_API_KEY = os.environ["MAPS_API_KEY"]
MAPS_BROWSER_KEY = os.environ["MAPS_BROWSER_KEY"]


def _geocoder_token():
    return current_app.config["GEOCODER_API_TOKEN"]


@bp.get("/")
@login_required
def index():
    session["maps_api_key"] = MAPS_API_KEY  # expect: KL208
    session["maps_browser_key"] = MAPS_BROWSER_KEY  # ok: the referrer-restricted browser key is public
    session["last_visit_user"] = current_user.id  # ok: an identifier
    return render_template("locator/index.html")


@bp.get("/search")
@login_required
def search():
    session["geocoder_token"] = _geocoder_token()  # expect: KL208
    session["geocoder_ready"] = bool(_geocoder_token())  # ok: bool()
    session["last_query"] = request.args.get("q", "")  # ok: a search term
    return render_template("locator/search.html")


@bp.get("/embed")
def embed():
    resp = make_response(render_template("locator/embed.html"))
    resp.set_cookie("maps_api_key", MAPS_API_KEY)  # expect: KL208
    resp.set_cookie("maps_region", request.args.get("region", "eu"), samesite="Lax")  # ok: a region preference
    return resp


@bp.get("/embed/v2")
def embed_v2():
    resp = make_response(render_template("locator/embed.html", browser_key=MAPS_BROWSER_KEY))  # ok: the browser key is public
    resp.set_cookie("maps_api_key", MAPS_API_KEY, secure=True, httponly=True, samesite="Strict")  # expect: KL208
    return resp


@bp.get("/provider")
@login_required
def provider():
    session["provider"] = {"name": "mapbox", "access_token": settings.MAPBOX_SECRET_TOKEN}  # expect: KL208
    session["provider_name"] = "mapbox"  # ok: a provider name
    return render_template("locator/provider.html")


@bp.get("/tiles")
@login_required
def tiles():
    resp = make_response(render_template("locator/tiles.html"))
    resp.set_cookie("tiles_token", settings.TILE_SERVER_TOKEN, max_age=3600)  # expect: KL208
    resp.set_cookie("tiles_style", request.args.get("style", "streets"), max_age=3600, samesite="Lax")  # ok: a map style
    return resp


@bp.post("/preferences")
@login_required
def preferences():
    session["units"] = request.form.get("units", "metric")  # ok: a display preference
    resp = make_response(render_template("locator/preferences.html"))
    resp.set_cookie("units", request.form.get("units", "metric"), max_age=365 * 24 * 3600, samesite="Lax")  # ok: a display preference
    return resp
