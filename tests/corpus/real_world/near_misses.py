"""Near misses seen in real Flask-ecosystem code (superset, indico, mlflow,
flask-caching, connexion, changedetection.io). None of these is a leak; each
was once reported by keyleak and taught it something. Real leaks at the end."""
import logging
import os

from flask import Flask, request

from .routes import UPDATE_USER_PASSWORD
from .models import PersonalToken

app = Flask(__name__)
logger = logging.getLogger(__name__)

EXAMPLES = {
    "clickhouse": "clickhousedb://demo:demo@github.demo.trial.altinity.cloud",  # ok: user name as password, a public demo
    "firebird": "firebird+fdb://SYSDBA:masterkey@192.168.86.38:3050//employee.fdb",  # ok: the product's documented default
}


class DistributedLock:
    def __init__(self, name):
        self.redis_lock_key = f"lock:{name}"  # ok: a key in redis, not a credential

    def acquire(self):
        logger.debug("Redis lock on %s already taken", self.redis_lock_key)  # ok: lock key name


def check_scopes(required_scopes, token_scopes):
    logger.debug("... Token scopes: %s", token_scopes)  # ok: scopes, not the token
    return set(required_scopes) <= set(token_scopes)


def cached(fn, *args):
    cache_key = fn.make_cache_key(*args)
    logger.info(f"Cache used for key: {cache_key}")  # ok: a cache key, not a credential


def test_llm_connection(stored):
    req_api_key = request.args.get("api_key")  # expect: KL401
    llm_cfg = {"model": request.args.get("model") or stored.get("model", ""), "api_key": req_api_key or stored.get("api_key", "")}
    model = llm_cfg["model"]
    logger.debug(f"LLM connection test requested: model={model!r}")  # ok: the dict's other entry


class TokenController:
    def __init__(self, user):
        self.token = PersonalToken(user=user)  # ok: a model object

    def update(self):
        logger.info("Updated token %r", self.token)  # ok: the object's repr, not the secret
        return self.token.name


def deliver(webhook, payload):
    logger.error(f"Webhook request to {webhook.url} failed")  # ok: an object holding the URL


def log_route():
    logger.info("served %s", UPDATE_USER_PASSWORD)  # ok: a route name constant


def get_request_param(name):
    return request.args.get(name)


def update_user_password(current_password_from_db):
    password = get_request_param("password")
    current_password = get_request_param("current_password")
    if password == current_password:  # ok: two values from the same request
        return "unchanged"
    return "ok"


def login(credentials):
    username, password = credentials
    logger.warning(f"Rejected a login by '{username}'")  # ok: the user name
    return password


def debug_dump(token):
    print(token)  # expect: KL201


def session_lock(user_id):
    uuid_token = os.urandom(16).hex()
    logger.info("issued %s", uuid_token)  # expect: KL201
