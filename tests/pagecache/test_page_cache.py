"""Public pages are served from the page cache while, and only while, they are still true."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import update

from eventapp import create_app
from eventapp.agenda.models import AgendaItem
from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.pagecache.models import ContentVersion
from eventapp.pagecache.store import CachedPage, PageCache
from eventapp.pagecache.versions import Version
from eventapp.programmes.models import Programme
from eventapp.speakers.models import Speaker
from tests.conftest import TEST_CONFIG
from tests.events.test_catalogue import section, titles


def test_a_repeated_page_costs_one_query_and_answers_304_to_a_revalidation(client, create_event, count_queries):
    event = create_event(agenda=3, speakers_per_item=2)
    first = client.get(f"/events/{event.slug}")

    with count_queries() as counter:
        second = client.get(f"/events/{event.slug}")
    revalidated = client.get(f"/events/{event.slug}", headers={"If-None-Match": f'"{second.get_etag()[0]}"'})

    assert second.get_data() == first.get_data()
    assert counter.count == 2  # only the content version and the seat counts
    assert second.headers["Cache-Control"] == "no-cache"
    assert revalidated.status_code == 304
    assert revalidated.get_data() == b""


def test_editing_an_event_shows_at_once(client, in_app, create_event):
    event = create_event(title="Old title")
    assert "Old title" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "Old title" in client.get("/").get_data(as_text=True)

    with in_app():
        db.session.get(Event, event.id).title = "New title"
        db.session.commit()

    assert "New title" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "New title" in client.get("/").get_data(as_text=True)


def test_agenda_and_speaker_changes_show_at_once(client, in_app, create_event):
    event = create_event(agenda=1, speakers_per_item=1)
    client.get(f"/events/{event.slug}")

    with in_app():
        item = db.session.scalars(db.select(AgendaItem).where(AgendaItem.event_id == event.id)).one()
        item.title = "Renamed talk"
        db.session.commit()
    assert "Renamed talk" in client.get(f"/events/{event.slug}").get_data(as_text=True)

    with in_app():
        speaker = db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id)).one()
        speaker.organisation = "Tromsø kommune"
        db.session.commit()
    assert "Tromsø kommune" in client.get(f"/events/{event.slug}").get_data(as_text=True)

    with in_app():
        db.session.delete(db.session.scalars(db.select(AgendaItem).where(AgendaItem.event_id == event.id)).one())
        db.session.commit()
    assert "Renamed talk" not in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_programme_rename_and_bulk_updates_show_at_once(client, in_app, create_event, dummy_programme):
    event = create_event(programme=dummy_programme)
    client.get(f"/events/{event.slug}")
    client.get("/")

    with in_app():
        db.session.get(Programme, dummy_programme.id).title = "Renamed programme"
        db.session.commit()
    assert "Renamed programme" in client.get(f"/events/{event.slug}").get_data(as_text=True)

    with in_app():
        db.session.execute(update(Event).where(Event.id == event.id).values(title="Bulk-updated title"))
        db.session.commit()
    assert "Bulk-updated title" in client.get("/").get_data(as_text=True)


def test_an_unpublished_event_disappears_at_once(client, in_app, create_event):
    event = create_event()
    assert client.get(f"/events/{event.slug}").status_code == 200

    with in_app():
        db.session.delete(db.session.get(Event, event.id))
        db.session.commit()

    assert client.get(f"/events/{event.slug}").status_code == 404


def test_another_process_changing_content_is_seen(client, database_url, create_event):
    """Two app instances stand for two gunicorn workers, each with its own page cache."""
    event = create_event(title="Before")
    assert "Before" in client.get(f"/events/{event.slug}").get_data(as_text=True)

    other_worker = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    with other_worker.app_context():
        db.session.get(Event, event.id).title = "After"
        db.session.commit()
        db.engine.dispose()

    assert "After" in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_an_event_that_ends_moves_to_past_events_without_any_edit(client, create_event):
    ends_at = utcnow() + timedelta(seconds=1.5)
    create_event(title="Ending now", starts_at=ends_at - timedelta(hours=1), ends_at=ends_at)
    assert titles(section(client.get("/").get_data(as_text=True), "upcoming-heading")) == ["Ending now"]

    time.sleep(max(0.0, (ends_at - utcnow()).total_seconds()) + 0.1)

    html = client.get("/").get_data(as_text=True)
    assert titles(section(html, "upcoming-heading")) == []
    assert titles(section(html, "past-heading")) == ["Ending now"]


def test_error_pages_and_bad_filters_are_not_cached(client, create_event, count_queries):
    create_event()
    client.get("/?kind=nonsense")

    with count_queries() as counter:
        response = client.get("/?kind=nonsense")

    assert response.status_code == 400
    assert counter.count > 1


def test_the_cache_stays_within_its_memory_bound():
    cache = PageCache(max_bytes=10_000)
    page = CachedPage(Version(1, None), utcnow(), b"x" * 2_000, "etag", "text/html")

    for i in range(20):
        cache.put(("page", i), page)
    cache.get(("page", 15))  # recently used: kept
    cache.put(("page", 20), page)

    assert len(cache) == 5
    assert cache.get(("page", 15)) is page
    assert cache.get(("page", 0)) is None


def test_with_a_version_check_interval_another_process_is_seen_within_it(app, client, database_url, create_event):
    app.config["EVENTAPP_VERSION_CHECK_SECONDS"] = 0.5
    try:
        event = create_event(title="Before")
        assert "Before" in client.get(f"/events/{event.slug}").get_data(as_text=True)

        # Another worker process: it shares no memory with this one (simulated with its own engine and a
        # direct UPDATE, which this process's session listeners never see).
        other = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
        with other.app_context(), db.engine.connect() as conn:
            conn.execute(update(Event).where(Event.id == event.id).values(title="After"))
            conn.execute(update(ContentVersion).values(version=ContentVersion.version + 1, changed_at=utcnow()))
            conn.commit()
        with other.app_context():
            db.engine.dispose()

        soon_after = client.get(f"/events/{event.slug}").get_data(as_text=True)
        time.sleep(0.6)
        later = client.get(f"/events/{event.slug}").get_data(as_text=True)
    finally:
        app.config["EVENTAPP_VERSION_CHECK_SECONDS"] = 0

    assert "Before" in soon_after  # inside the interval: the cached page
    assert "After" in later


def test_with_a_version_check_interval_this_process_sees_its_own_changes_at_once(app, client, in_app, create_event):
    app.config["EVENTAPP_VERSION_CHECK_SECONDS"] = 60
    try:
        event = create_event(title="Before")
        client.get(f"/events/{event.slug}")
        with in_app():
            db.session.get(Event, event.id).title = "After"
            db.session.commit()
        page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    finally:
        app.config["EVENTAPP_VERSION_CHECK_SECONDS"] = 0

    assert "After" in page
