"""Extension singletons; create_app() binds them to the application."""
import os

from flask_cors import CORS
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman

db = SQLAlchemy()
jwt = JWTManager()
cors = CORS()
talisman = Talisman()
login_manager = LoginManager()
login_manager.login_view = "auth.login_page"

# Applies to every route of the app unless the route (or its blueprint) is exempt.
limiter = Limiter(
    key_func=get_remote_address,
    default_limits=["2000 per day", "120 per hour"],
    storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
    headers_enabled=True,
)


@login_manager.user_loader
def load_user(user_id):
    from .models import User

    return db.session.get(User, int(user_id))
