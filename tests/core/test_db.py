"""The UTC datetime type behaves the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from eventapp.events.models import Event
from eventapp.extensions import db


def test_times_come_back_aware_in_utc_and_equal(app, create_event):
    helsinki_noon = datetime(2030, 6, 12, 12, 0, tzinfo=timezone(timedelta(hours=3)))
    event = create_event(starts_at=helsinki_noon, ends_at=helsinki_noon + timedelta(hours=1))

    with app.app_context():
        loaded = db.session.get(Event, event.id)
        assert loaded.starts_at == helsinki_noon
        assert loaded.starts_at.tzinfo == UTC
        assert loaded.starts_at.hour == 9
        assert loaded.created_at.tzinfo == UTC


def test_naive_times_are_refused(app, create_event):
    with pytest.raises(StatementError, match="naive datetime"):
        create_event(starts_at=datetime(2030, 1, 1, 9, 0), ends_at=datetime(2030, 1, 1, 10, 0))  # noqa: DTZ001


def test_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="unknown time zone"):
        Event(timezone="Europe/Atlantis")
