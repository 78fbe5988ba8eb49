"""Geocoding, weather and currency lookups used by the store locator."""
import hashlib
import hmac
import os
import time
from urllib.parse import quote, urlencode

import httpx
import requests

from .settings import settings

GOOGLE_MAPS_API_KEY = os.environ["GOOGLE_MAPS_API_KEY"]
MAPS_URL_SIGNING_SECRET = os.environ["MAPS_URL_SIGNING_SECRET"]
OPENWEATHER_API_KEY = os.getenv("OPENWEATHER_API_KEY")
GEOCODE_URL = "https://maps.googleapis.com/maps/api/geocode/json"
WEATHER_URL = "https://api.openweathermap.org/data/2.5/weather"


def geocode(address):
    url = f"{GEOCODE_URL}?address={quote(address)}&key={GOOGLE_MAPS_API_KEY}"  # expect: KL205
    return requests.get(url, timeout=5).json()


def geocode_v2(address):
    resp = requests.get(GEOCODE_URL, params={"address": address}, headers={"X-Goog-Api-Key": GOOGLE_MAPS_API_KEY}, timeout=5)  # ok: the key travels in a header
    return resp.json()


def reverse_geocode(lat, lng):
    resp = requests.get(GEOCODE_URL, params={"latlng": f"{lat},{lng}", "key": GOOGLE_MAPS_API_KEY}, timeout=5)  # expect: KL205
    return resp.json()


def static_map_url(lat, lng, zoom=14):
    path = f"/maps/api/staticmap?center={lat},{lng}&zoom={zoom}&size=600x300"
    signature = hmac.new(MAPS_URL_SIGNING_SECRET.encode(), path.encode(), hashlib.sha256).hexdigest()
    return f"https://maps.googleapis.com{path}&signature={signature}"  # ok: an HMAC signature, not the secret


def current_weather(city):
    return requests.get(WEATHER_URL, params={"q": city, "units": "metric", "appid": OPENWEATHER_API_KEY}, timeout=5).json()  # expect: KL205


def weather_by_zip(zip_code):
    return requests.get(WEATHER_URL, params={"zip": zip_code, "units": "metric"}, headers={"Authorization": f"Bearer {OPENWEATHER_API_KEY}"}, timeout=5).json()  # ok: key in a header


async def forecast(city):
    async with httpx.AsyncClient(base_url="https://api.weatherapi.com/v1", timeout=5) as client:
        resp = await client.get("/forecast.json", params={"key": settings.WEATHER_API_KEY, "q": city, "days": 3})  # expect: KL205
        return resp.json()


async def forecast_hourly(city):
    async with httpx.AsyncClient(base_url="https://api.weatherapi.com/v1", headers={"key": settings.WEATHER_API_KEY}, timeout=5) as client:  # ok: sent as a header
        resp = await client.get("/forecast.json", params={"q": city, "days": 1, "hour": 12})  # ok: city and paging only
        return resp.json()


def exchange_rates(base="EUR"):
    url = "https://api.exchangerate.example/{}/latest?access_key={}".format(base, settings.EXCHANGE_ACCESS_KEY)  # expect: KL205
    return requests.get(url, timeout=5).json()


def timezone_for(lat, lng):
    query = urlencode({"location": f"{lat},{lng}", "timestamp": int(time.time())})
    return requests.get(f"https://maps.googleapis.com/maps/api/timezone/json?{query}", headers={"X-Goog-Api-Key": GOOGLE_MAPS_API_KEY}, timeout=5).json()  # ok: only coordinates in the query
