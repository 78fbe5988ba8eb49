# Read by `flask run` via python-dotenv. Committed so every checkout runs the same way.
FLASK_APP=wsgi:app
FLASK_DEBUG=1
FLASK_RUN_PORT=5050
SECRET_KEY=80fac27cd8995efeba9032050d09c5892503e12b47fa42f93ceaf2ffbf3e0b6e
