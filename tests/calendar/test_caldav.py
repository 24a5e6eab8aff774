"""Our documents in a real CalDAV server: Radicale stores them and gives back what a calendar app syncs.

Each document is imported the way a CalDAV client does it (MKCALENDAR, then one PUT per event), read
back with GET, and parsed again by both parsers. Times, UID and every text a person reads must come
back exactly as sent, and exactly as the event says.
"""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
import pytest

from eventapp.calendar.ics import Method, Person, event_calendar, feed_calendar
from eventapp.events.enums import EventFormat, EventStatus
from tests.calendar.conftest import (
    ATTENDEE_NAME,
    DST_CASES,
    JOIN_URL,
    ORGANIZER_NAME,
    TRICKY_TITLE,
    TRICKY_VENUE,
    make_event,
    norwegian_text,
    page_url,
    parse,
    raw_value,
)

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
ORGANIZER = Person(ORGANIZER_NAME, "post@nord.example.org")
ATTENDEE = Person(ATTENDEE_NAME, "asmund@example.org")
COMPARED = ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS", "SEQUENCE")


def round_trip(radicale, document: bytes) -> tuple[list[icalendar.Event], list[bytes]]:
    """Import ``document`` into a new calendar and read it back: the events as the server returned them
    (each checked against what was sent) and the raw bodies."""
    sent = parse(document)
    sent_times = list(zip(raw_value(document, "DTSTART"), raw_value(document, "DTEND"), strict=True))
    bodies = radicale.import_and_read_back(document)
    returned = [parse(body).event for body in bodies]
    assert len(returned) == len(sent.events)
    for original, times, back, body in zip(sent.events, sent_times, returned, bodies, strict=True):
        assert (raw_value(body, "DTSTART")[0], raw_value(body, "DTEND")[0]) == times  # still UTC, to the second
        assert back.decoded("DTSTART") == original.decoded("DTSTART")
        assert back.decoded("DTEND") == original.decoded("DTEND")
        for name in COMPARED:
            assert (name in back) == (name in original), name
            if name in original:
                assert str(back[name]) == str(original[name]), name
    return returned, bodies


@pytest.mark.parametrize("case", DST_CASES.values(), ids=DST_CASES.keys())
def test_dst_days_and_midnight_come_back_as_the_same_instants(radicale, case):
    zone, starts_at, ends_at, dtstart, dtend, _wall_clock = case
    event = make_event(timezone=zone, starts_at=starts_at, ends_at=ends_at, title=f"Møte i {zone}")

    (back,), (body,) = round_trip(
        radicale, event_calendar(event, method=Method.PUBLISH, event_url=page_url(event), organizer=ORGANIZER)
    )

    assert back.decoded("DTSTART") == starts_at
    assert back.decoded("DTEND") == ends_at
    assert raw_value(body, "DTSTART") == [dtstart]
    assert raw_value(body, "DTEND") == [dtend]


def test_a_10000_character_norwegian_description_comes_back_whole(radicale):
    text = norwegian_text()
    event = make_event(summary="Sammendrag.", description_md=text)

    (back,), _ = round_trip(
        radicale, event_calendar(event, method=Method.PUBLISH, event_url=page_url(event), organizer=ORGANIZER, now=NOW)
    )

    assert str(back["DESCRIPTION"]) == f"Sammendrag.\n\n{text}\n\nEvent page: {page_url(event)}"


def test_commas_semicolons_and_quotes_in_names_and_places_come_back(radicale):
    event = make_event(
        title=TRICKY_TITLE,
        format=EventFormat.IN_PERSON,
        venue_name=TRICKY_VENUE,
        venue_address="Storgata 1, 9008 Tromsø",
        city="Tromsø",
    )
    document = event_calendar(
        event, method=Method.REQUEST, event_url=page_url(event), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW
    )

    (back,), _ = round_trip(radicale, document)

    assert str(back["SUMMARY"]) == TRICKY_TITLE
    assert str(back["LOCATION"]) == 'Kommune; "Nord", Øst, Storgata 1, 9008 Tromsø'
    assert back["ORGANIZER"].params["CN"] == "Kommune; 'Nord', Øst"
    assert back["ATTENDEE"].params["CN"] == "Øvrebø, Ærlig Åsmund"
    assert back["ATTENDEE"].params["RSVP"] == "FALSE"
    assert str(back["ATTENDEE"]) == "mailto:asmund@example.org"


def test_the_join_link_comes_back_exactly_for_a_confirmed_attendee(radicale):
    event = make_event(format=EventFormat.ONLINE, online_url=JOIN_URL)
    document = event_calendar(
        event,
        method=Method.REQUEST,
        event_url=page_url(event),
        organizer=ORGANIZER,
        attendee=ATTENDEE,
        include_join_url=True,
        now=NOW,
    )

    (back,), _ = round_trip(radicale, document)

    assert str(back["DESCRIPTION"]).startswith(f"Join online: {JOIN_URL}\n\n")
    assert str(back["LOCATION"]) == JOIN_URL
    assert str(back["CONFERENCE"]) == JOIN_URL
    assert str(back["URL"]) == page_url(event)


def test_a_cancellation_comes_back_cancelled(radicale):
    event = make_event(status=EventStatus.CANCELLED, calendar_sequence=2)
    document = event_calendar(
        event, method=Method.CANCEL, event_url=page_url(event), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW
    )

    (back,), _ = round_trip(radicale, document)

    assert str(back["STATUS"]) == "CANCELLED"
    assert back.decoded("SEQUENCE") == 2


def test_a_feed_comes_back_event_by_event_with_its_cancelled_event(radicale):
    oslo, helsinki = DST_CASES["oslo-dst-ends"], DST_CASES["helsinki-repeated-0330"]
    events = [
        make_event(title="Over midnatt", starts_at=oslo[1], ends_at=oslo[2], online_url=JOIN_URL),
        make_event(title="Avlyst, dessverre", starts_at=helsinki[1], ends_at=helsinki[2], status=EventStatus.CANCELLED),
        make_event(title=TRICKY_TITLE, description_md=norwegian_text(3_000)),
    ]
    document = feed_calendar(
        events, name="Innovasjon; Nord", event_url=page_url, organizer_for=lambda _e: ORGANIZER, now=NOW
    )

    back, _ = round_trip(radicale, document)

    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in back] == [
        ("Over midnatt", "CONFIRMED"),
        ("Avlyst, dessverre", "CANCELLED"),
        (TRICKY_TITLE, "CONFIRMED"),
    ]
    assert [e.decoded("DTSTART") for e in back] == [e.starts_at for e in events]
    assert [str(e["UID"]) for e in back] == [f"{e.calendar_uid}@eventapp" for e in events]
    assert all(JOIN_URL not in str(e["DESCRIPTION"]) for e in back)
