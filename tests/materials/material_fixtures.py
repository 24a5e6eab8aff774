"""Fixtures for the materials tests (loaded with ``pytest_plugins``): a webinar with an organiser, speakers
and attendees, and the organiser's signed-in client."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from eventapp.agenda.models import AgendaItem
from eventapp.extensions import db
from eventapp.registrations import services as registration_services
from eventapp.speakers.models import Speaker
from tests.registrations.test_rules import data


@dataclass
class Webinar:
    id: int
    slug: str
    title: str
    owner_id: int
    item_ids: list[int]
    speaker_ids: list[int]
    #: email → personal link token of confirmed attendees
    tokens: dict[str, str]

    @property
    def materials_url(self) -> str:
        return f"/manage/events/{self.id}/materials"


@pytest.fixture
def webinar(app, create_event, create_account) -> Webinar:
    """A published webinar with two agenda items (a speaker each), owned by kari@example.org, with two
    confirmed attendees (one reads Norwegian Bokmål)."""
    owner = create_account("kari@example.org")
    event = create_event(created_by_id=owner.id, title="Innovative anskaffelser og bærekraft", agenda=2,
                         speakers_per_item=1, language="nb")  # fmt: skip
    tokens = {}
    with app.app_context():
        for email, locale in (("ola@example.org", "nb"), ("emma@example.org", "en")):
            tokens[email] = registration_services.register(event.id, data(email, locale=locale)).token
        items = list(db.session.scalars(db.select(AgendaItem.id).where(AgendaItem.event_id == event.id)
                                        .order_by(AgendaItem.position)))  # fmt: skip
        speakers = list(db.session.scalars(db.select(Speaker.id).where(Speaker.event_id == event.id)
                                           .order_by(Speaker.name)))  # fmt: skip
    return Webinar(event.id, event.slug, event.title, owner.id, items, speakers, tokens)


@pytest.fixture
def owner_client(client, webinar, log_in):
    """The test client, signed in as the webinar's owner."""
    log_in(client, "kari@example.org")
    return client
