"""Reporting API: flask-restful resources, a restx namespace and a MethodView."""
import logging
import traceback

import click
from flask import jsonify, request
from flask.views import MethodView
from flask_restful import Resource
from flask_restx import Namespace
from flask_restx import Resource as RestxResource

from .reports import ReportError, build_report, delete_report, import_rows

ns = Namespace("reports", description="Report generation")
logger = logging.getLogger(__name__)


class ReportResource(Resource):
    def get(self, report_id):
        try:
            return build_report(report_id)
        except ReportError as e:
            return {"message": str(e)}, 400  # expect: KL207
        except Exception:
            logger.exception("report %s failed", report_id)  # ok: details go to the log
            return {"message": "report generation failed"}, 500  # ok: generic message

    def delete(self, report_id):
        try:
            delete_report(report_id)
        except Exception as e:
            return {"errors": e.args}, 400  # expect: KL207
        return "", 204


@ns.route("/<int:report_id>/csv")
class ReportCsv(RestxResource):
    def get(self, report_id):
        try:
            return build_report(report_id, fmt="csv")
        except Exception as e:
            ns.abort(500, f"CSV export failed: {e}")  # expect: KL207

    def post(self, report_id):
        try:
            return build_report(report_id, fmt="csv", refresh=True)
        except Exception:
            logger.exception("CSV refresh of %s failed", report_id)  # ok: details go to the log
            ns.abort(500, "CSV export failed")  # ok: generic message


class ImportView(MethodView):
    def post(self):
        upload = request.files["file"]
        try:
            count = import_rows(upload.stream)
        except UnicodeDecodeError:
            return jsonify(error="the file is not UTF-8 encoded"), 400  # ok: fixed message
        except Exception as e:
            return jsonify(error="import failed", detail=repr(e), trace=traceback.format_exc()), 500  # expect: KL207
        return jsonify(imported=count)


def run_import_job(path):
    """Used by the nightly `flask import-rows` command, never by a view."""
    try:
        with open(path, "rb") as fh:
            return {"ok": True, "imported": import_rows(fh)}
    except Exception as e:
        return {"ok": False, "error": str(e)}  # ok: not a route; the CLI prints this for the operator


@click.command("import-rows")
@click.argument("path")
def import_rows_command(path):
    result = run_import_job(path)
    click.echo(result.get("error") or f"imported {result['imported']} rows")  # ok: operator's terminal, not a response
