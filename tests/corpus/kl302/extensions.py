"""Extensions for the widgets backend."""
from flask_cors import CORS
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
login_manager = LoginManager()
cors = CORS()  # ok: no options yet; create_widget_app passes them to init_app

ALLOWED_ORIGINS = {"https://app.widgets.example", "https://admin.widgets.example"}

# Options for the partner embed; spread into CORS(...) in app.py.
EMBED_CORS_OPTIONS = {"origins": "*", "supports_credentials": True}
STRICT_CORS_OPTIONS = {"origins": ["https://app.widgets.example"], "supports_credentials": True}
