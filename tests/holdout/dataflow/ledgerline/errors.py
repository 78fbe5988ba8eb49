"""Application-wide error handlers."""
import logging
import traceback

from flask import jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .integrations import IntegrationError, ProviderAuthError

logger = logging.getLogger("ledgerline.errors")


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def handle_http_error(exc):
        return jsonify(error=exc.name, description=exc.description), exc.code  # ok: an HTTPException description is the public message

    @app.errorhandler(400)
    def handle_bad_request(exc):
        logger.info("bad request on %s (content-type %s)", request.path, request.headers.get("Content-Type"))  # ok: non-secret header
        logger.error("bad request cookies=%s", request.cookies)  # expect: KL202
        return jsonify(error="bad_request", echo=dict(request.headers)), 400  # expect: KL204

    @app.errorhandler(401)
    def handle_unauthorized(exc):
        presented = request.headers.get("Authorization", "")
        return jsonify(error="unauthorized", presented=presented), 401  # expect: KL203

    @app.errorhandler(403)
    def handle_forbidden(exc):
        supplied = request.headers.get("X-Ledgerline-Key", "")
        return jsonify(error="forbidden", key_supplied=bool(supplied), key_length=len(supplied)), 403  # ok: bool and len only

    @app.errorhandler(ProviderAuthError)
    def handle_provider_auth(exc):
        logger.exception("a provider rejected our credentials")  # ok: operator log, no response detail
        return jsonify(error="upstream_auth_failure", message="A payment provider rejected the request. Our team has been notified."), 502  # ok: generic message

    @app.errorhandler(IntegrationError)
    def handle_integration_error(exc):
        logger.warning("integration failure on %s (%s)", request.path, type(exc).__name__)  # ok: exception class name only
        return jsonify(error="upstream_failure", detail=str(exc)), 502  # expect: KL207

    @app.errorhandler(ValueError)
    def handle_value_error(exc):
        return {"error": "invalid_request", "reason": exc.args[0] if exc.args else "invalid value"}, 400  # expect: KL207

    @app.errorhandler(500)
    def handle_500(exc):
        logger.exception("unhandled error")  # ok
        if app.config.get("SHOW_TRACEBACKS"):
            return render_template("errors/500.html", trace=traceback.format_exc()), 500  # expect: KL207
        return render_template("errors/500.html", request_id=request.headers.get("X-Request-Id")), 500  # ok: request id only

    @app.errorhandler(Exception)
    def handle_unexpected(exc):
        logger.exception("unexpected error on %s %s", request.method, request.path)  # ok
        return jsonify(error="internal_error", message=repr(exc)), 500  # expect: KL207
