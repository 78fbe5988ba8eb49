"""Tests for the user directory API (a test file: nothing here is served)."""
import pytest

from app import create_app
from app.models import User, db


@pytest.fixture
def client():
    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
        db.session.add(User(id=1, display_name="alice", email="alice@example.com", ssn="000-00-0000"))  # ok: test fixture data
        db.session.commit()
    return app.test_client()


def test_public_card_has_no_pii(client):
    data = client.get("/api/users/1/card").get_json()
    assert "ssn" not in data  # ok: an assertion, nothing is sent
    assert set(data) == {"id", "display_name", "avatar_url"}  # ok: an assertion


def test_identity_shows_only_last4(client):
    data = client.get("/api/users/me/identity").get_json()
    assert data["ssn_last4"] == "0000"  # ok: an assertion
    assert "password_hash" not in client.get("/api/users/me/security").get_json()  # ok: an assertion


def test_user_detail_is_admin_only(client):
    resp = client.get("/api/users/1/raw")
    assert resp.status_code in (302, 401, 403)  # ok: a status check
    assert b"ssn" not in resp.data  # ok: an assertion


def test_card_listing_is_masked(client):
    cards = client.get("/api/billing/customers/1/cards/masked").get_json()
    for card in cards:
        assert len(card["last4"]) == 4  # ok: an assertion
        assert "card_number" not in card  # ok: an assertion


def test_signup_does_not_echo_password(client):
    resp = client.post("/api/accounts/", json={"email": "bob@example.com", "password": "correct horse battery staple", "date_of_birth": "1990-01-01"})  # ok: a test request
    assert "password" not in resp.get_json()  # ok: an assertion
