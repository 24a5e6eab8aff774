"""Helpers for the registration tests: signing up through the real form, reading the outbox."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.models import Registration
from tests.drafts import render_drafts

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
def sign_up(app, client):
    """``sign_up(slug, **fields)``: fill in and send the sign-up form as a browser would. An accepted
    form answers "check your inbox" whoever signs up; the personal link of the mail this sign-up caused
    (if any) is kept on the response for ``token_of``."""

    def _sign_up(slug: str, **fields: str):
        page = client.get(f"/events/{slug}/register").get_data(as_text=True)
        if 'name="csrf_token"' not in page:  # no form (closed, full): the token of this session still is valid
            page = client.get(f"/events/{slug}/lost-link").get_data(as_text=True)
        data = {**FORM, **fields, "csrf_token": csrf_token(page)}
        with app.app_context():
            before = db.session.scalar(select(func.max(OutboxMessage.id))) or 0
        response = client.post(f"/events/{slug}/register", data={k: v for k, v in data.items() if v is not None})
        with app.app_context():
            render_drafts()  # the worker renders the mail after the commit; read it as it will be sent
            mail = db.session.scalars(
                select(OutboxMessage).where(OutboxMessage.id > before).order_by(OutboxMessage.id.desc())
            ).first()
            response.mailed_token = link_in(mail.body_text) if mail is not None else None
        return response

    return _sign_up


def link_in(body: str) -> str | None:
    match = re.search(r"/r/([A-Za-z0-9_-]{20,64})", body)
    return match.group(1) if match else None


def token_of(response) -> str:
    """The personal link a sign-up mailed (its answer, a redirect to "check your inbox", holds none)."""
    assert response.status_code == 303, response.status_code
    assert re.match(r"^/events/[^/]+/register/sent$", response.headers["Location"]), response.headers["Location"]
    assert response.mailed_token, "the sign-up sent no mail with a link"
    return response.mailed_token


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
            render_drafts()  # as the worker does before sending
            rows = list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))
            db.session.expunge_all()
            return rows

    return _all
