"""Extensions for the notes service. ``create_app`` binds them."""
from flask_jwt_extended import JWTManager
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
jwt = JWTManager()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=["1000 per day", "100 per hour"])
