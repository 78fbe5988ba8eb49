# Defaults for the flask CLI. Committed on purpose (python-dotenv reads it before .env).
FLASK_APP=shop:create_app
FLASK_ENV=development
FLASK_RUN_HOST=127.0.0.1
FLASK_RUN_PORT=5000
