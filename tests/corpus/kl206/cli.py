"""Flask CLI commands for key rotation, upstream checks and database access."""
import secrets

import click
import psycopg
import requests
from flask import current_app
from flask.cli import with_appcontext

from .models import ApiKey, Partner, db


@click.command("rotate-partner-key")
@click.argument("partner_id", type=int)
@with_appcontext
def rotate_partner_key(partner_id):
    partner = db.session.get(Partner, partner_id)
    if partner is None:
        raise click.ClickException(f"no partner with id {partner_id}")  # ok: an id
    new_key = secrets.token_urlsafe(32)
    try:
        partner.set_api_key(new_key)
        db.session.commit()
    except Exception as exc:
        db.session.rollback()
        raise click.ClickException(f"could not store new key {new_key} for partner {partner_id}") from exc  # expect: KL206
    click.echo(f"rotated key for partner {partner_id}; fingerprint {ApiKey.fingerprint(new_key)}")  # ok: a fingerprint


@click.command("check-upstream")
@with_appcontext
def check_upstream():
    token = current_app.config["UPSTREAM_TOKEN"]
    resp = requests.get("https://upstream.example.com/v1/ping", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    if resp.status_code == 401:
        raise click.ClickException("upstream rejected token " + token)  # expect: KL206
    if resp.status_code != 200:
        raise click.ClickException(f"upstream answered {resp.status_code}")  # ok: a status code
    click.echo("upstream ok")


@click.command("import-keys")
@click.argument("path", type=click.Path(exists=True))
@with_appcontext
def import_keys(path):
    with open(path) as fh:
        for lineno, line in enumerate(fh, 1):
            key_name, _, secret = line.strip().partition("=")
            if not secret:
                raise click.BadParameter(f"line {lineno}: no value for {key_name}")  # ok: key name and line number
            if len(secret) < 20:
                raise click.BadParameter(f"line {lineno}: value for {key_name} too short: {secret}")  # expect: KL206
            ApiKey.store(key_name, secret)
    db.session.commit()


def connect_reporting_db():
    host = current_app.config["REPORTING_DB_HOST"]
    user = current_app.config["REPORTING_DB_USER"]
    password = current_app.config["REPORTING_DB_PASSWORD"]
    dsn = f"postgresql://{user}:{password}@{host}/reporting"  # ok: a database connection string handed to the driver, not a URL sent over HTTP
    try:
        return psycopg.connect(dsn, connect_timeout=5)
    except psycopg.OperationalError as exc:
        if "password authentication failed" in str(exc):
            raise ConnectionError(f"cannot connect to {dsn}") from exc  # expect: KL206
        raise ConnectionError(f"cannot connect to {host} as {user}") from exc  # ok: host and user name
