"""Response hooks registered per blueprint (see auth.py and oauth.py)."""


def no_store(response):
    """Token responses must not be kept by browsers or proxies (RFC 6749, 5.1)."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def no_cache(response):
    """Revalidate before reuse. Caches may still store the response."""
    response.headers["Cache-Control"] = "no-cache"
    return response
