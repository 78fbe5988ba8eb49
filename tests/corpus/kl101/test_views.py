"""Tests for the storefront views (a test file: weak SECRET_KEY values are fine here)."""
import pytest

from factory import create_app


@pytest.fixture
def app():
    app = create_app({"TESTING": True, "SECRET_KEY": "test"})  # ok: test file
    app.config["SECRET_KEY"] = "testing-only-key"  # ok: test file
    yield app


@pytest.fixture
def client(app):
    return app.test_client()


def test_login_rejects_bad_password(client):
    resp = client.post("/auth/login", data={"username": "alice", "password": "test"})  # ok: short throwaway test value
    assert resp.status_code == 401


def test_orders_requires_key(client):
    resp = client.get("/api/orders", headers={"X-API-Key": ""})  # ok: empty value
    assert resp.status_code == 401
