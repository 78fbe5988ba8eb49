"""Extension singletons, bound to the app in create_app()."""
import os

from flask_cors import CORS
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
cors = CORS()
login_manager = LoginManager()
login_manager.login_view = "portal.login"

RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://ledger:t8QvwTH6Iuj2OkDCJ23VmC@redis.ledgerline.internal:6379/2")  # expect: KL101

# Every route gets these unless it declares its own limit.
limiter = Limiter(key_func=get_remote_address, default_limits=["600 per hour", "60 per minute"], storage_uri=RATELIMIT_STORAGE_URI)


@login_manager.user_loader
def load_user(user_id):
    from .models import User

    return db.session.get(User, int(user_id))
