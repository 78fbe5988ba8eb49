"""Extensions shared by the clubhouse app; ``create_app`` in app.py binds them."""
import hashlib

from flask_caching import Cache
from flask_httpauth import HTTPTokenAuth
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

db = SQLAlchemy()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
cache = Cache()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=["300 per hour", "30 per minute"])

# Bearer tokens for the Prometheus scraper and the ops CLI.
token_auth = HTTPTokenAuth(scheme="Bearer")


@token_auth.verify_token
def verify_token(token):
    from .models import ServiceAccount

    digest = hashlib.sha256(token.encode()).hexdigest()
    return ServiceAccount.query.filter_by(token_sha256=digest, active=True).first()
