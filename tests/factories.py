"""Factory fixtures (``create_*``) and defaults (``dummy_*``): rows committed for real.

Each factory opens its own app context, commits, and hands back the row detached with its columns
loaded, so a test can read ``event.slug`` or ``event.id`` after the context is gone.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

import pytest

from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.models import AgendaItem
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.programmes.models import Programme
from eventapp.speakers.models import Speaker
from tests.conftest import soon

_counter = itertools.count(1)


def _detach(obj: Any) -> Any:
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


@pytest.fixture
def create_programme(app):
    def _create(**overrides: Any) -> Programme:
        n = next(_counter)
        values: dict[str, Any] = {
            "slug": f"programme-{n}",
            "title": f"Programme {n}",
            "summary": "A programme for innovative public procurement.",
            "description_md": "We help **public buyers** find new solutions.",
        }
        values.update(overrides)
        with app.app_context():
            programme = Programme(**values)
            db.session.add(programme)
            db.session.commit()
            return _detach(programme)

    return _create


@pytest.fixture
def create_event(app):
    """``create_event(agenda=N, speakers_per_item=M, **columns)``: a published event, 2 weeks ahead."""

    def _create(
        *, agenda: int = 0, speakers_per_item: int = 0, programme: Programme | None = None, **overrides: Any
    ) -> Event:
        n = next(_counter)
        starts_at: datetime = overrides.pop("starts_at", soon(14))
        values: dict[str, Any] = {
            "slug": f"event-{n}",
            "title": f"Event number {n}",
            "summary": "A short summary of the event.",
            "description_md": "What we will talk about.",
            "kind": EventKind.WEBINAR,
            "format": EventFormat.ONLINE,
            "timezone": "Europe/Oslo",
            "starts_at": starts_at,
            "ends_at": overrides.pop("ends_at", starts_at + timedelta(hours=2)),
            "language": "en",
            "status": EventStatus.PUBLISHED,
            "programme_id": programme.id if programme else None,
        }
        values.update(overrides)
        with app.app_context():
            event = Event(**values)
            db.session.add(event)
            slot = (event.ends_at - event.starts_at) / max(agenda, 1)
            for i in range(agenda):
                item = AgendaItem(
                    event=event,
                    position=i,
                    starts_at=event.starts_at + slot * i,
                    ends_at=event.starts_at + slot * (i + 1),
                    title=f"Agenda item {i + 1}",
                    kind=AgendaItemKind.TALK,
                )
                db.session.add(item)
                for j in range(speakers_per_item):
                    item.speakers.append(
                        Speaker(
                            event=event,
                            name=f"Speaker {i + 1}.{j + 1}",
                            job_title="Adviser",
                            organisation=f"Organisation {i + 1}.{j + 1}",
                            email=f"speaker{i + 1}-{j + 1}@example.org",
                        )
                    )
            db.session.commit()
            return _detach(event)

    return _create


@pytest.fixture
def dummy_programme(create_programme) -> Programme:
    return create_programme()


@pytest.fixture
def dummy_event(create_event) -> Event:
    return create_event(agenda=2, speakers_per_item=1)
