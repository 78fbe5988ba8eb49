"""Nightly backup job: dumps the database and writes a restore bundle."""
import configparser
import hashlib
import json
import os
import subprocess
from pathlib import Path

import toml
import yaml

from .settings import settings

BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", "/var/backups/shop"))


def dump_database():
    env = dict(os.environ, PGPASSWORD=settings.DATABASE_PASSWORD)
    target = BACKUP_DIR / "db.dump"
    subprocess.run(["pg_dump", "-Fc", "-h", settings.DATABASE_HOST, "-U", settings.DATABASE_USER, "-f", str(target), settings.DATABASE_NAME], env=env, check=True)  # ok: the password goes to the child's environment, not a file
    return target


def write_restore_bundle():
    bundle = {"database": {"host": settings.DATABASE_HOST, "name": settings.DATABASE_NAME, "user": settings.DATABASE_USER, "password": settings.DATABASE_PASSWORD}}
    with open(BACKUP_DIR / "restore.yaml", "w") as fh:
        yaml.dump(bundle, fh, default_flow_style=False)  # expect: KL209
    with open(BACKUP_DIR / "restore.json", "w") as fh:
        json.dump(bundle["database"], fh, indent=2)  # expect: KL209
    with open(BACKUP_DIR / "restore.toml", "w") as fh:
        toml.dump({"s3": {"bucket": settings.BACKUP_BUCKET, "secret_access_key": settings.AWS_SECRET_ACCESS_KEY}}, fh)  # expect: KL209
    with open(BACKUP_DIR / "manifest.json", "w") as fh:
        json.dump({"database": settings.DATABASE_NAME, "bucket": settings.BACKUP_BUCKET, "files": ["db.dump"]}, fh)  # ok: names only


def write_notify_config():
    parser = configparser.ConfigParser()
    parser["smtp"] = {"host": settings.SMTP_HOST, "user": settings.SMTP_USER, "password": settings.SMTP_PASSWORD}
    parser["paths"] = {"backups": str(BACKUP_DIR)}
    with open(BACKUP_DIR / "notify.ini", "w") as fh:
        parser.write(fh)  # expect: KL209


def write_aws_profile():
    lines = [f"aws_access_key_id = {settings.AWS_ACCESS_KEY_ID}\n", f"aws_secret_access_key = {settings.AWS_SECRET_ACCESS_KEY}\n"]
    with open(BACKUP_DIR / "aws-credentials", "w") as fh:
        fh.writelines(["[backup]\n", *lines])  # expect: KL209
    with open(BACKUP_DIR / "aws-config", "w") as fh:
        fh.write(f"[profile backup]\nregion = {settings.AWS_REGION}\n")  # ok: a region


def write_checksums(paths):
    with open(BACKUP_DIR / "SHA256SUMS", "w") as fh:
        for path in paths:
            digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            fh.write(f"{digest}  {Path(path).name}\n")  # ok: file checksums


def run_nightly():
    dump = dump_database()
    write_restore_bundle()
    write_checksums([dump])
    (BACKUP_DIR / "LAST_RUN").write_text(json.dumps({"dump": dump.name, "host": settings.DATABASE_HOST}))  # ok: a file name and a host
