"""Sign-in flows of the shop app: web login, second factor, password
changes, and the staff kiosk login (kiosk_bp, exempted from the limiter in
``create_app``)."""
import hashlib
import hmac

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import bcrypt, db, limiter
from ..models import LoginCode, StaffMember, User

auth_bp = Blueprint("auth", __name__)
kiosk_bp = Blueprint("kiosk", __name__)


@auth_bp.route("/login", methods=["GET", "POST"])
def login():  # ok: the app-wide default limits apply
    if request.method == "GET":
        return render_template("auth/login.html")
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not check_password_hash(user.password_hash, request.form["password"]):
        flash("Invalid email or password")
        return redirect(url_for("auth.login"))
    login_user(user)
    return redirect(url_for("shop.home"))


@auth_bp.post("/login/legacy")
@limiter.exempt
def legacy_login():  # expect: KL404
    user = User.query.filter_by(email=request.form["email"]).first()
    if user is None or not bcrypt.check_password_hash(user.password_hash, request.form["password"]):
        abort(401)
    login_user(user)
    return redirect(url_for("shop.home"))


@auth_bp.post("/login/code")
def login_code():  # ok: the app-wide default limits apply
    pending = db.get_or_404(LoginCode, session.get("login_code_id", 0))
    if not check_password_hash(pending.code_hash, request.form["code"]):
        abort(401)
    login_user(db.get_or_404(User, pending.user_id))
    return redirect(url_for("shop.home"))


@auth_bp.post("/login/code/resend-check")
@limiter.exempt
def check_resent_code():  # expect: KL404
    pending = db.get_or_404(LoginCode, session.get("login_code_id", 0))
    if not check_password_hash(pending.code_hash, request.form["code"]):
        abort(401)
    login_user(db.get_or_404(User, pending.user_id))
    return redirect(url_for("shop.home"))


@auth_bp.post("/login/strict")
@limiter.limit("5 per minute")
def strict_login():  # ok: its own limit
    user = User.query.filter_by(email=request.form["email"]).first_or_404()
    if not user.check_password(request.form["password"]):
        abort(401)
    login_user(user)
    return redirect(url_for("shop.home"))


@auth_bp.post("/password/change")
@login_required
def change_password():  # ok: the app-wide default limits apply
    if not current_user.check_password(request.form["current_password"]):
        abort(403)
    current_user.set_password(request.form["new_password"])
    db.session.commit()
    return redirect(url_for("account.settings"))


@auth_bp.post("/email/change")
@login_required
@limiter.exempt
def change_email():  # expect: KL404
    if not current_user.check_password(request.form["password"]):
        abort(403)
    current_user.email = request.form["email"]
    db.session.commit()
    return redirect(url_for("account.settings"))


@auth_bp.post("/register")
@limiter.exempt
def register():  # ok: exempt, but hashes a new password and verifies nothing
    if len(request.form["password"]) < 12:
        abort(400)
    user = User(email=request.form["email"], password_hash=generate_password_hash(request.form["password"]))
    db.session.add(user)
    db.session.commit()
    return redirect(url_for("auth.login"))


@auth_bp.post("/logout")
@limiter.exempt
def logout():  # ok: exempt, but verifies nothing
    logout_user()
    return redirect(url_for("auth.login"))


@kiosk_bp.post("/login")
def kiosk_login():  # expect: KL404
    staff = db.get_or_404(StaffMember, request.form.get("staff_id", type=int))
    if not check_password_hash(staff.pin_hash, request.form["pin"]):
        abort(401)
    session["staff_id"] = staff.id
    return redirect(url_for("kiosk.till"))


@kiosk_bp.post("/unlock")
def manager_unlock():  # expect: KL404
    manager = StaffMember.query.filter_by(store_id=session.get("store_id"), is_manager=True).first_or_404()
    if not check_password_hash(manager.pin_hash, request.form["manager_pin"]):
        abort(403)
    session["till_unlocked"] = True
    return redirect(url_for("kiosk.till"))


@kiosk_bp.post("/badge")
def badge_login():  # expect: KL404
    scanned = hashlib.sha256(request.form["badge"].encode()).hexdigest()
    staff = StaffMember.query.filter_by(store_id=session.get("store_id")).first_or_404()
    if not hmac.compare_digest(scanned, staff.badge_token_sha256 or ""):
        abort(401)
    session["staff_id"] = staff.id
    return redirect(url_for("kiosk.till"))


@kiosk_bp.get("/till")
def till():  # ok: limiter-exempt blueprint, but this route verifies nothing
    return render_template("kiosk/till.html", staff_id=session.get("staff_id"))
