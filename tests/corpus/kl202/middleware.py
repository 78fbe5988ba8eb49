"""Request and response logging hooks for the orders API (app factory)."""
import json
import logging
import os
import sys
import time

from flask import Flask, g, jsonify, request

logger = logging.getLogger(__name__)

SENSITIVE_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token"}


def redact_headers(headers):
    return {name: ("[redacted]" if name.lower() in SENSITIVE_HEADERS else value) for name, value in headers.items()}


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    app.config["LOG_REQUEST_HEADERS"] = os.getenv("LOG_REQUEST_HEADERS") == "1"

    @app.before_request
    def log_request():
        g.started = time.monotonic()
        logger.info("%s %s from %s", request.method, request.path, request.remote_addr)  # ok: method, path and client address
        logger.info("user agent: %s", request.headers.get("User-Agent"))  # ok: one safe header
        if app.config["LOG_REQUEST_HEADERS"]:
            logger.debug("request headers: %s", request.headers)  # expect: KL202
        logger.debug("request headers: %s", redact_headers(request.headers))  # ok: redacted copy
        logger.debug("header names: %s", list(request.headers.keys()))  # ok: header names only
        app.logger.debug("cookies: %r", request.cookies)  # expect: KL202
        app.logger.debug("cookie names: %s", sorted(request.cookies.keys()))  # ok: cookie names only
        app.logger.debug("theme cookie: %s", request.cookies.get("theme"))  # ok: a preference cookie, not a credential

    @app.after_request
    def log_response(response):
        elapsed = time.monotonic() - g.get("started", time.monotonic())
        logger.info("%s %s -> %s in %.3fs", request.method, request.path, response.status_code, elapsed)  # ok: no credential
        if response.status_code >= 400:
            logger.warning("failed request, headers=" + str(dict(request.headers)))  # expect: KL202
            logger.warning("failed request, content type %s", request.headers.get("Content-Type"))  # ok: one safe header
        return response

    @app.errorhandler(500)
    def internal_error(error):
        logger.error("500 on %s, environ %s", request.path, request.environ)  # expect: KL202
        logger.error("500 on %s, request id %s", request.path, request.headers.get("X-Request-ID"))  # ok: a request id
        logger.error("500 on %s via %s", request.path, request.environ.get("SERVER_PROTOCOL"))  # ok: one environ entry
        return jsonify(error="internal error"), 500

    @app.get("/api/orders")
    def list_orders():
        logger.info("list orders", extra={"headers": dict(request.headers)})  # expect: KL202
        logger.info("list orders", extra={"path": request.path, "agent": request.user_agent.string})  # ok: safe fields
        print(json.dumps(dict(request.headers)))  # expect: KL202
        print(json.dumps({"path": request.path, "args": sorted(request.args)}))  # ok: path and argument names
        return jsonify(orders=[])

    @app.post("/api/orders")
    def create_order():
        sys.stderr.write(f"create_order headers={request.headers}\n")  # expect: KL202
        sys.stderr.write(f"create_order content_length={request.content_length}\n")  # ok: a number
        return jsonify(status="created"), 201

    return app
