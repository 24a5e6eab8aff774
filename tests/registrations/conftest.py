"""Helpers for the registration tests: signing up through the real form, reading the outbox."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.models import Registration

FORM = {
    "name": "Åsa Lindqvist",
    "email": "asa.lindqvist@example.org",
    "organisation": "Region Skåne",
    "organisation_type": "county",
    "country": "SE",
    "accept_privacy": "y",
}


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def text_of(html: str) -> str:
    inline_dropped = re.sub(r"</?(?:time|span|strong|em|a|abbr)\b[^>]*>", "", html)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline_dropped)).strip())


@pytest.fixture
def sign_up(client):
    """``sign_up(slug, **fields)``: fill in and send the sign-up form as a browser would."""

    def _sign_up(slug: str, **fields: str):
        page = client.get(f"/events/{slug}/register").get_data(as_text=True)
        if 'name="csrf_token"' not in page:  # no form (closed, full): the token of this session still is valid
            page = client.get(f"/events/{slug}/lost-link").get_data(as_text=True)
        data = {**FORM, **fields, "csrf_token": csrf_token(page)}
        return client.post(f"/events/{slug}/register", data={k: v for k, v in data.items() if v is not None})

    return _sign_up


def token_of(response) -> str:
    location = response.headers["Location"]
    match = re.match(r"^/r/([A-Za-z0-9_-]+)\?new=1$", location)
    assert match, location
    return match.group(1)


@pytest.fixture
def registrations(app):
    def _all(event_id: int | None = None) -> list[Registration]:
        with app.app_context():
            stmt = select(Registration).order_by(Registration.id)
            if event_id is not None:
                stmt = stmt.where(Registration.event_id == event_id)
            rows = list(db.session.scalars(stmt))
            db.session.expunge_all()
            return rows

    return _all


@pytest.fixture
def outbox(app):
    def _all() -> list[OutboxMessage]:
        with app.app_context():
            rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            db.session.expunge_all()
            return rows

    return _all
