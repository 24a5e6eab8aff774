"""Organiser accounts for the back-office tests, and signing in through the real form."""

from __future__ import annotations

import pytest

from eventapp.accounts.enums import Role
from eventapp.accounts.models import EventManager
from eventapp.accounts.services import create_user
from eventapp.extensions import db
from tests.registrations.conftest import csrf_token

PASSWORD = "correct horse battery"


@pytest.fixture
def create_account(app):
    def _create(email: str, role: Role = Role.ORGANISER):
        with app.app_context():
            user = create_user(email=email, password=PASSWORD, role=role, name=email.split("@")[0].title())
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return _create


@pytest.fixture
def add_manager(app):
    def _add(event_id: int, user_id: int) -> None:
        with app.app_context():
            db.session.add(EventManager(event_id=event_id, user_id=user_id))
            db.session.commit()

    return _add


@pytest.fixture
def log_in(app):
    """``log_in(client, email)``: sign in through /login; returns the response."""

    def _log_in(client, email: str, password: str = PASSWORD):
        page = client.get("/login").get_data(as_text=True)
        return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})

    return _log_in
