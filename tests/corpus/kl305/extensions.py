"""Extensions for ledgerly. ``create_app`` binds them."""
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

db = SQLAlchemy()
jwt = JWTManager()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=["500 per day", "60 per hour"])

# Shared cookie options for the auth cookies.
SECURE_COOKIE = {"secure": True, "httponly": True, "samesite": "Strict"}
LEGACY_COOKIE = {"httponly": True, "max_age": 3600}
