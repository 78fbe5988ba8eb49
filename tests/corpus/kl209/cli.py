"""Operator commands: export settings, issue partner keys, write env templates."""
import csv
import hashlib
import json
import os
from pathlib import Path
import secrets

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext

from .mailer import send_key_to_partner
from .models import Partner, db

REQUIRED_VARS = ("SECRET_KEY", "DATABASE_URL", "STRIPE_SECRET_KEY", "MAIL_PASSWORD")
EXPORT_DIR = Path("exports")


def mask(value):
    return value[:3] + "..." + value[-2:] if value else ""


@click.command("export-settings")
@with_appcontext
def export_settings():
    cfg = current_app.config
    with open(EXPORT_DIR / "settings.json", "w") as fh:
        json.dump({"stripe_key": cfg["STRIPE_SECRET_KEY"], "region": cfg.get("REGION")}, fh, indent=2)  # expect: KL209
    with open(EXPORT_DIR / "settings.masked.json", "w") as fh:
        json.dump({"stripe_key": mask(cfg["STRIPE_SECRET_KEY"]), "region": cfg.get("REGION")}, fh, indent=2)  # ok: masked
    with open(EXPORT_DIR / "settings.yaml", "w") as fh:
        yaml.safe_dump({"mail": {"server": cfg["MAIL_SERVER"], "password": cfg["MAIL_PASSWORD"]}}, fh)  # expect: KL209
    with open(EXPORT_DIR / "settings.names.yaml", "w") as fh:
        yaml.safe_dump({"configured": sorted(cfg.keys())}, fh)  # ok: setting names only
    with open(EXPORT_DIR / "settings.env", "w") as fh:
        print(f"STRIPE_SECRET_KEY={cfg['STRIPE_SECRET_KEY']}", file=fh)  # expect: KL209|KL201
        print(f"REGION={cfg.get('REGION')}", file=fh)  # ok: not a secret


@click.command("write-env-template")
def write_env_template():
    Path(".env.example").write_text("".join(f"{name}=\n" for name in REQUIRED_VARS))  # ok: variable names with empty values


@click.command("issue-partner-key")
@click.argument("partner_id", type=int)
@with_appcontext
def issue_partner_key(partner_id):
    partner = db.session.get(Partner, partner_id)
    api_key = secrets.token_urlsafe(32)
    partner.key_digest = hashlib.sha256(api_key.encode()).hexdigest()
    db.session.commit()
    send_key_to_partner(partner, api_key)
    with open(EXPORT_DIR / "issued_keys.csv", "a", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([partner.id, partner.name, api_key])  # expect: KL209
        writer.writerow([partner.id, partner.name, hashlib.sha256(api_key.encode()).hexdigest()])  # ok: only the hash
    click.echo(f"issued a key for partner {partner.id}")  # ok: no secret


@click.command("save-signing-key")
@with_appcontext
def save_signing_key():
    instance = Path(current_app.instance_path)
    (instance / "signing.key").write_text(os.environ["JWT_PRIVATE_KEY"])  # expect: KL209
    (instance / "signing.pub").write_text(os.environ["JWT_PUBLIC_KEY"])  # ok: the public half
    (instance / "signing.sha256").write_text(hashlib.sha256(os.environ["JWT_PRIVATE_KEY"].encode()).hexdigest())  # ok: a fingerprint
