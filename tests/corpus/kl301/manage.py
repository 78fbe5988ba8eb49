"""Command-line entry point: python manage.py [--debug] [--port N]."""
import argparse
import os

from factory import create_admin_app, create_api_app, create_app

parser = argparse.ArgumentParser(description="Run the inventory service")
parser.add_argument("--debug", action="store_true", help="enable the debugger")  # ok: argument definition
parser.add_argument("--port", type=int, default=8000)


def main():
    args = parser.parse_args()
    app = create_app()
    app.run(port=args.port, debug=args.debug)  # ok: operator's choice at runtime


def run_api():
    api_app = create_api_app()
    api_app.run(debug=False)  # ok: debug off


def run_api_env():
    api_app = create_api_app()
    api_app.run(debug=os.environ.get("FLASK_DEBUG") == "1")  # ok: from the environment


def run_admin():
    admin_app = create_admin_app()
    admin_app.run(debug=True, use_reloader=False)  # expect: KL301


def run_from_config():
    app = create_app()
    app.run(debug=app.config.get("DEBUG", False))  # ok: not a literal True here


if __name__ == "__main__":
    main()
