"""Security helpers shared by beacon's apps (see app.py, services.py, gateway.py, legacy.py)."""
from flask_talisman import Talisman

talisman = Talisman()

HSTS = "max-age=31536000; includeSubDomains"


def enable_https(app):
    """Redirect http to https and send HSTS (Talisman's defaults), without a CSP."""
    talisman.init_app(app, content_security_policy=None)


def add_hsts(app):
    @app.after_request
    def _hsts(response):
        response.headers["Strict-Transport-Security"] = HSTS
        return response


def set_hsts(response):
    response.headers["Strict-Transport-Security"] = HSTS
    return response


def add_basic_headers(app):
    """Sniffing and framing protection. Sends no HSTS and redirects nothing."""

    @app.after_request
    def _headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        return response
