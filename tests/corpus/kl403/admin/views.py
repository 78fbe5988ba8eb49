"""Back-office pages.

``admin_bp`` is mounted at /admin by ``create_app`` and guarded as a whole by
its ``before_request`` hook. ``dashboard_bp`` still says /admin here, but
``create_app`` mounts it at /dashboard: its pages are the public club stats.
"""
from flask import Blueprint, abort, jsonify, render_template, request
from flask_login import current_user

from ..extensions import db, login_manager
from ..models import Booking, Club, User

admin_bp = Blueprint("admin", __name__, template_folder="templates")
dashboard_bp = Blueprint("dashboard", __name__, url_prefix="/admin")


@admin_bp.before_request
def require_admin():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.is_admin:
        abort(403)
    return None


@admin_bp.get("/")
def index():  # ok: /admin/, guarded by the blueprint's before_request hook
    return render_template("admin/index.html", users=User.query.count(), clubs=Club.query.count())


@admin_bp.get("/users")
def users():  # ok: /admin/users, guarded by the blueprint's before_request hook
    page = request.args.get("page", 1, type=int)
    return render_template("admin/users.html", users=User.query.paginate(page=page, per_page=50))


@admin_bp.post("/users/<int:user_id>/disable")
def disable_user(user_id):  # ok: /admin/users/<id>/disable, guarded by the blueprint's before_request hook
    user = db.get_or_404(User, user_id)
    user.active = False
    db.session.commit()
    return jsonify(id=user.id, active=user.active)


@admin_bp.get("/keys")
def api_key_overview():  # ok: /admin/keys, guarded by the blueprint's before_request hook
    return render_template("admin/keys.html", owners=User.query.filter(User.api_key_id.isnot(None)).count())


@admin_bp.post("/secrets/rotate")
def rotate_secrets():  # ok: /admin/secrets/rotate, guarded by the blueprint's before_request hook
    from ..tasks import rotate_integration_secrets

    job = rotate_integration_secrets.delay()
    return jsonify(job_id=job.id), 202


@dashboard_bp.get("/")
def overview():  # ok: mounted at /dashboard/, the /admin prefix in Blueprint() is overridden at registration
    return render_template("dashboard/overview.html", clubs=Club.query.count())


@dashboard_bp.get("/stats")
def stats():  # ok: /dashboard/stats, public booking statistics
    return jsonify(bookings_today=Booking.today().count(), clubs=Club.query.count())
