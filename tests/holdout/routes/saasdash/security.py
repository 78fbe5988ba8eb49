"""Auth decorators and request guards shared by the blueprints."""
import functools
import hashlib
import hmac

from flask import abort, current_app, jsonify, request
from flask_login import current_user


def admin_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def roles_required(*roles):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated or current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_service_token():
    """before_request hook for service-to-service blueprints (attached in create_app)."""
    presented = request.headers.get("X-Service-Token", "")
    expected = current_app.config.get("INTERNAL_SERVICE_TOKEN") or ""
    if not expected or not hmac.compare_digest(presented.encode(), expected.encode()):
        return jsonify(error="service token required"), 401
    return None


def digest(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


def no_store(response):
    """after_request hook: responses that may carry credentials must not be cached."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response
