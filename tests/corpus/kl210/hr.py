"""HR portal: employee records, wired up by the app factory."""
import os

from flask import Flask, jsonify, render_template
from flask.views import MethodView
from flask_login import login_required
from flask_restful import Api, Resource

from .models import Employee, db


class DuplicateEmployee(Exception):
    def __init__(self, employee):
        super().__init__("duplicate employee")
        self.employee = employee


class EmployeeView(MethodView):
    decorators = [login_required]

    def get(self, employee_id):
        emp = db.get_or_404(Employee, employee_id)
        return jsonify(id=emp.id, name=emp.name, date_of_birth=emp.date_of_birth.isoformat(), department=emp.department)  # expect: KL210


class EmployeePage(MethodView):
    decorators = [login_required]

    def get(self, employee_id):
        emp = db.get_or_404(Employee, employee_id)
        return render_template("employee.html", employee=emp)  # ok: the template picks the fields it shows


class PayrollPage(MethodView):
    decorators = [login_required]

    def get(self, employee_id):
        emp = db.get_or_404(Employee, employee_id)
        return render_template("payroll.html", name=emp.name, ssn=emp.ssn)  # expect: KL210


class EmployeeTax(Resource):
    method_decorators = [login_required]

    def get(self, employee_id):
        emp = db.get_or_404(Employee, employee_id)
        return {"id": emp.id, "tax_id": emp.tax_id, "tax_class": emp.tax_class}  # expect: KL210


class EmployeeDirectory(Resource):
    def get(self):
        return [{"id": e.id, "name": e.name, "department": e.department, "office": e.office} for e in Employee.query.all()]  # ok: directory fields


class EmployeeExport(Resource):
    method_decorators = [login_required]

    def get(self, employee_id):
        emp = db.get_or_404(Employee, employee_id)
        return {c.name: getattr(emp, c.name) for c in emp.__table__.columns}  # expect: KL210


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    db.init_app(app)
    api = Api(app)
    api.add_resource(EmployeeTax, "/api/employees/<int:employee_id>/tax")
    api.add_resource(EmployeeDirectory, "/api/employees")
    api.add_resource(EmployeeExport, "/api/employees/<int:employee_id>/export")
    app.add_url_rule("/employees/<int:employee_id>", view_func=EmployeeView.as_view("employee"))
    app.add_url_rule("/employees/<int:employee_id>/page", view_func=EmployeePage.as_view("employee_page"))
    app.add_url_rule("/employees/<int:employee_id>/payroll", view_func=PayrollPage.as_view("payroll"))

    @app.errorhandler(DuplicateEmployee)
    def duplicate_employee(e):
        return jsonify(error="duplicate", employee={"id": e.employee.id, "ssn": e.employee.ssn}), 409  # expect: KL210

    @app.errorhandler(404)
    def not_found(e):
        return jsonify(error="not found"), 404  # ok: no personal data

    return app
