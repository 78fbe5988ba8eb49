#!/usr/bin/env python
"""Operator commands.

    python manage.py create-client NAME
    python manage.py show-config
    python manage.py rotate-secret
    python manage.py serve-docker | profile | run-local
"""
import hashlib
import logging
import os
import secrets
import sys

import click
from flask.cli import FlaskGroup
from werkzeug.middleware.profiler import ProfilerMiddleware

from tallyhub import create_app
from tallyhub.models import ApiClient, db

os.environ.setdefault("TALLYHUB_ENV", "production")
os.environ.setdefault("SECRET_KEY", "mG7pX2vK9qL4tR8wZ3nB6yHd")  # expect: KL101

log = logging.getLogger("tallyhub.manage")
cli = FlaskGroup(create_app=create_app)


@cli.command("create-client")
@click.argument("name")
def create_client(name):
    api_key = "tk_" + secrets.token_urlsafe(24)
    client = ApiClient(name=name, api_key=api_key, key_prefix=api_key[:8])
    db.session.add(client)
    db.session.commit()
    log.info("created api client %s (%s) key=%s", client.id, name, api_key)  # expect: KL201
    click.echo(f"created client {client.id}; key ends in {api_key[-4:]}")  # ok: short slice


@cli.command("show-config")
@click.option("--reveal", is_flag=True, help="print secrets in clear")  # ok: option definition
def show_config(reveal):
    app = create_app()
    jwt_secret = app.config.get("JWT_SECRET_KEY") or ""
    print(f"{'env':<12} {os.environ['TALLYHUB_ENV']}")  # ok: environment name
    print(f"{'debug':<12} {app.debug}", file=sys.stderr)  # ok: debug flag
    print(f"{'stripe key':<12} {app.config['STRIPE_SECRET_KEY'][-4:]:>8}", file=sys.stderr)  # ok: short slice
    print(f"{'jwt secret':<12} {jwt_secret!s:.>40}", file=sys.stderr)  # expect: KL201
    if reveal:
        print("stripe key:", app.config["STRIPE_SECRET_KEY"], file=sys.stderr)  # expect: KL201


@cli.command("rotate-secret")
def rotate_secret():
    new_secret = secrets.token_hex(32)
    log.info("rotated SECRET_KEY, new value %s", new_secret)  # expect: KL201
    click.echo("SECRET_KEY rotated; fingerprint " + hashlib.sha256(new_secret.encode()).hexdigest()[:12])  # ok: hashed
    with open(os.path.expanduser("~/.tallyhub-secret"), "w") as fh:
        fh.write(new_secret)  # expect: KL209


@cli.command("serve-docker")
def serve_docker():
    app = create_app("docker")
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 8000)), debug = True, use_reloader=False)  # expect: KL301


@cli.command("profile")
@click.option("--restrictions", default=30)
def profile(restrictions):
    app = create_app()
    app.config["DEBUG"] = True  # expect: KL301
    app.config["PROFILE"] = True
    app.wsgi_app = ProfilerMiddleware(app.wsgi_app, restrictions=[restrictions])
    app.run()


@cli.command("run-local")
@click.option("--debug/--no-debug", default=False)  # ok: option definition
@click.option("--port", default=5000)
def run_local(debug, port):
    app = create_app(os.environ.get("TALLYHUB_ENV", "development"))
    if debug:
        app.run(host="127.0.0.1", port=port, debug=debug)  # ok: operator's choice at runtime
    else:
        app.run(host="127.0.0.1", port=port, debug=os.environ.get("FLASK_DEBUG") == "1")  # ok: from the environment


if __name__ == "__main__":
    if "--legacy" in sys.argv:
        create_app().run(host="0.0.0.0", port=5000, debug=True)  # expect: KL301
    else:
        cli()
