"""Application-wide error handlers, registered by the app factory."""
import logging
import sys
import traceback

from flask import Flask, jsonify, render_template, request
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.exceptions import HTTPException

from .extensions import db

logger = logging.getLogger(__name__)


def register_error_handlers(app: Flask):
    @app.errorhandler(HTTPException)
    def handle_http_exception(e):
        return jsonify(error=e.name, message=e.description), e.code  # ok: an HTTPException's name and description are the app's own messages

    @app.errorhandler(ValidationError)
    def handle_validation_error(err):
        return jsonify(errors=err.messages), 422  # ok: per-field validation messages are meant for the client

    @app.errorhandler(IntegrityError)
    def handle_integrity_error(e):
        db.session.rollback()
        return jsonify(error="conflict", detail=e.args[0]), 409  # expect: KL207

    @app.errorhandler(SQLAlchemyError)
    def handle_db_error(e):
        db.session.rollback()
        logger.exception("database error on %s", request.path)  # ok: details go to the log
        return jsonify(error="database error"), 500  # ok: generic message

    @app.errorhandler(Exception)
    def handle_exception(e):
        logger.exception("unhandled error on %s", request.path)  # ok: details go to the log
        return jsonify(error="internal server error", detail=str(e)), 500  # expect: KL207

    @app.errorhandler(500)
    def internal_error(e):
        return render_template("500.html", trace=traceback.format_exc()), 500  # expect: KL207

    @app.errorhandler(502)
    def bad_gateway(e):
        logger.error("bad gateway: %s", traceback.format_exc())  # ok: the traceback goes to the log
        return render_template("502.html"), 502  # ok: generic page

    @app.errorhandler(TimeoutError)
    def handle_timeout(e):
        return {"error": "timeout", "detail": repr(e)}, 504  # expect: KL207

    @app.errorhandler(KeyError)
    def handle_key_error(e):
        etype, value, tb = sys.exc_info()
        return jsonify(error="missing field", message=str(value)), 400  # expect: KL207

    @app.errorhandler(NotImplementedError)
    def handle_not_implemented(e):
        logger.warning("not implemented: %s", e)  # ok: logged only
        return jsonify(error="not implemented", path=request.path), 501  # ok: generic message and the path

    @app.errorhandler(PermissionError)
    def handle_permission_error(e):
        logger.info("permission denied on %s: %r", request.path, e)  # ok: logged only
        return jsonify(error="forbidden", code=403), 403  # ok: generic message
