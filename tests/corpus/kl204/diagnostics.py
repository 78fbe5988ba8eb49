"""Support diagnostics: lets the support team see what a customer's browser sends."""
import json

from flask import Blueprint, Response, jsonify, make_response, render_template, request
from flask_login import login_required

bp = Blueprint("diagnostics", __name__, url_prefix="/support/diagnostics")

SAFE_HEADERS = ("User-Agent", "Accept", "Accept-Language", "Referer")
SENSITIVE_HEADERS = {"authorization", "proxy-authorization", "cookie", "x-api-key", "x-auth-token"}


def redact_headers(headers):
    return {name: ("[redacted]" if name.lower() in SENSITIVE_HEADERS else value) for name, value in headers.items()}


@bp.get("/headers")
@login_required
def echo_headers():
    return jsonify(dict(request.headers))  # expect: KL204


@bp.get("/headers/safe")
@login_required
def echo_safe_headers():
    return jsonify({name: request.headers.get(name) for name in SAFE_HEADERS})  # ok: allow-listed headers


@bp.get("/headers/redacted")
@login_required
def echo_redacted_headers():
    return jsonify(headers=redact_headers(request.headers))  # ok: redacted copy


@bp.get("/headers/names")
def header_names():
    return jsonify(sorted(request.headers.keys()))  # ok: header names only


@bp.get("/request")
@login_required
def request_summary():
    return {"method": request.method, "path": request.path, "headers": dict(request.headers)}  # expect: KL204


@bp.get("/request.txt")
@login_required
def request_text():
    return Response(str(request.headers), mimetype="text/plain")  # expect: KL204


@bp.get("/client")
def client_summary():
    return jsonify(user_agent=request.headers.get("User-Agent"), language=request.accept_languages.best_match(["en", "de"]))  # ok: safe headers


@bp.get("/page")
@login_required
def diagnostics_page():
    return render_template("support/diagnostics.html", headers=request.headers, environ=request.environ)  # expect: KL204


@bp.get("/page/v2")
@login_required
def diagnostics_page_v2():
    return render_template("support/diagnostics.html", agent=request.user_agent, remote_addr=request.remote_addr)  # ok: safe fields


@bp.get("/wsgi")
@login_required
def wsgi_environ():
    return jsonify({key: str(value) for key, value in request.environ.items()})  # expect: KL204


@bp.get("/wsgi/server")
@login_required
def wsgi_server():
    return jsonify(protocol=request.environ.get("SERVER_PROTOCOL"), software=request.environ.get("SERVER_SOFTWARE"))  # ok: single environ entries


@bp.get("/download")
@login_required
def download_request():
    resp = make_response(json.dumps(dict(request.headers), indent=2))  # expect: KL204
    resp.headers["Content-Disposition"] = "attachment; filename=request.json"  # ok: not sensitive
    return resp


@bp.get("/authorization")
@login_required
def authorization_header():
    return jsonify(authorization=request.headers.get("Authorization"))  # expect: KL203


@bp.get("/counts")
def header_counts():
    return jsonify(headers=len(request.headers), cookies=len(request.cookies))  # ok: counts only
