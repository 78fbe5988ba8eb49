"""View decorators used across the clubhouse blueprints."""
import functools
import logging

from flask import abort, redirect, request, url_for
from flask_login import current_user

audit_log = logging.getLogger("clubhouse.audit")


def admin_required(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated or not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def permission_required(permission):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def staff_only(view):
    """Not named like an auth decorator, but its body redirects anonymous users and rejects non-staff."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.path))
        if not current_user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def audited(view):
    """Writes an audit line for every call. Checks nothing."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        audit_log.info("%s %s from %s", request.method, request.path, request.remote_addr)
        return view(*args, **kwargs)

    return wrapper
