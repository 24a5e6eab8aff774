"""A calendar client polling its feed: the same conditional GET is answered 304 again without running the
app, while the content holds; any change, another question, or a page that depends on more goes through."""

from __future__ import annotations

import pytest

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.pagecache.store import SHORTCUT_HEADER


@pytest.fixture
def trusting(app):
    """Versions trusted for a minute (as in production with a longer interval), cache and shortcut empty."""
    app.config["EVENTAPP_VERSION_CHECK_SECONDS"] = 60
    shortcut = app.wsgi_app
    shortcut.entries.clear()
    yield shortcut
    app.config["EVENTAPP_VERSION_CHECK_SECONDS"] = 0
    shortcut.entries.clear()


def poll(client, path: str, etag: str, **headers):
    return client.get(path, headers={"If-None-Match": etag, **headers})


def test_a_repeated_poll_is_answered_with_the_same_304_without_the_app(client, create_event, count_queries, trusting):
    create_event()
    etag = client.get("/calendar.ics").headers["ETag"]
    first = poll(client, "/calendar.ics", etag)  # the app answers, and the shortcut learns the answer
    assert first.status_code == 304
    assert SHORTCUT_HEADER not in first.headers  # the marker never leaves the process
    with count_queries() as counter:
        again = poll(client, "/calendar.ics", etag)
    assert again.status_code == 304
    assert counter.count == 0
    assert len(trusting.entries) == 1
    assert sorted(again.headers.items()) == sorted(first.headers.items())  # the very same answer
    assert again.headers["ETag"] == etag
    assert "default-src 'self'" in again.headers["Content-Security-Policy"]


def test_an_edit_in_this_process_ends_the_shortcut_at_once(client, in_app, create_event, trusting):
    event = create_event(title="Before")
    etag = client.get("/calendar.ics").headers["ETag"]
    poll(client, "/calendar.ics", etag)
    with in_app():
        db.session.get(Event, event.id).title = "After"
        db.session.commit()
    changed = poll(client, "/calendar.ics", etag)
    assert changed.status_code == 200
    assert "SUMMARY:After" in changed.get_data(as_text=True)


def test_other_questions_are_not_answered_from_another_ones_entry(client, create_event, trusting):
    create_event()
    etag = client.get("/calendar.ics").headers["ETag"]
    poll(client, "/calendar.ics", etag)
    assert poll(client, "/calendar.ics", '"something-else"').status_code == 200
    assert poll(client, "/calendar.ics?kind=webinar", etag).status_code == 200  # another feed, another etag
    swedish = client.get("/?lang=sv")
    assert swedish.status_code == 200
    assert len([key for key in trusting.entries if key[0] == "/"]) == 0  # ?lang= sets a cookie: never replayed


def test_an_event_page_depends_on_its_seats_and_is_never_replayed(client, create_event, trusting):
    event = create_event()
    etag = client.get(f"/events/{event.slug}").headers["ETag"]
    assert poll(client, f"/events/{event.slug}", etag).status_code == 304
    assert trusting.entries == {}
