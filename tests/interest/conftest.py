"""Helpers for the interest-list tests: the form as a browser sends it, links read from mails."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.interest.models import InterestSubscription
from eventapp.mail.models import OutboxMessage

FORM = {"name": "Kari Nordmann", "email": "kari.nordmann@example.org", "organisation": "Bergen kommune",
        "language": "nb"}  # fmt: skip


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html) or re.search(
        rf'type="hidden" name="{name}" value="([^"]*)"', html
    )
    assert match, f"no hidden {name}"
    return unescape(match.group(1))


def link(body: str, path: str) -> str:
    """The token of the first link to ``/<path>/<token>`` in a mail body."""
    match = re.search(rf"/{path}/([A-Za-z0-9_-]{{20,64}})", body)
    assert match, f"no /{path}/ link in the mail"
    return match.group(1)


@pytest.fixture
def no_time_floor(app):
    """The form's bot check on time is off (a test sends the form at once); the hidden field still counts."""
    saved = app.config["EVENTAPP_FORM_MIN_SECONDS"]
    app.config["EVENTAPP_FORM_MIN_SECONDS"] = 0
    yield
    app.config["EVENTAPP_FORM_MIN_SECONDS"] = saved


@pytest.fixture
def ask(client, no_time_floor):
    """``ask(slug, **fields)``: send the "Keep me informed" form of the programme page as a browser would."""

    def _ask(slug: str, **fields: str):
        page = client.get(f"/programmes/{slug}").get_data(as_text=True)
        data = {**FORM, "started": hidden(page, "started"), "website": "", **fields}
        return client.post(f"/programmes/{slug}/interest", data={k: v for k, v in data.items() if v is not None})

    return _ask


@pytest.fixture
def outbox(app):
    def _outbox(**where) -> list[OutboxMessage]:
        with app.app_context():
            stmt = select(OutboxMessage).order_by(OutboxMessage.id)
            for key, value in where.items():
                stmt = stmt.where(getattr(OutboxMessage, key) == value)
            found = list(db.session.scalars(stmt))
            db.session.expunge_all()
            return found

    return _outbox


@pytest.fixture
def subscriptions(app):
    def _subscriptions() -> list[InterestSubscription]:
        with app.app_context():
            found = list(db.session.scalars(select(InterestSubscription).order_by(InterestSubscription.id)))
            db.session.expunge_all()
            return found

    return _subscriptions
