"""calendar.ics: what calendar apps get from the download, the feeds and the invitations.

Every document is read by two independent parsers (icalendar and vobject, see ``parse``), which must
agree. These tests need no database: events are built in memory.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from eventapp.calendar.ics import Method, Person, event_calendar, event_uid, feed_calendar
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
    physical_lines,
    raw_value,
)
from tests.conftest import at

ORGANIZER = Person(ORGANIZER_NAME, "post@nord.example.org")
ATTENDEE = Person(ATTENDEE_NAME, "asmund@example.org")
NOW = datetime(2026, 12, 1, 12, 0, 5, tzinfo=UTC)


def download(event, **options) -> bytes:
    return event_calendar(
        event, method=Method.PUBLISH, event_url=page_url(event), organizer=ORGANIZER, now=NOW, **options
    )


def invitation(event, method: Method = Method.REQUEST, **options) -> bytes:
    return event_calendar(
        event, method=method, event_url=page_url(event), organizer=ORGANIZER, attendee=ATTENDEE, now=NOW, **options
    )


def feed(events, **options) -> bytes:
    return feed_calendar(
        events, name="Innovasjon", event_url=page_url, organizer_for=lambda _e: ORGANIZER, now=NOW, **options
    )


# --- times ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", DST_CASES.values(), ids=DST_CASES.keys())
def test_times_are_exact_utc_instants_on_dst_days_and_across_midnight(case):
    zone, starts_at, ends_at, dtstart, dtend, wall_clock = case
    event = make_event(timezone=zone, starts_at=starts_at, ends_at=ends_at)

    for document in (download(event), invitation(event), feed([event])):
        parsed = parse(document)
        assert raw_value(document, "DTSTART") == [dtstart]
        assert raw_value(document, "DTEND") == [dtend]
        assert parsed.event.decoded("DTSTART") == starts_at
        assert parsed.event.decoded("DTEND") == ends_at
        local = [parsed.event.decoded(p).astimezone(ZoneInfo(zone)).strftime("%H:%M") for p in ("DTSTART", "DTEND")]
        assert tuple(local) == wall_clock
        assert b"TZID" not in document
        assert b"VTIMEZONE" not in document


def test_the_two_0230s_of_the_day_dst_ends_stay_apart():
    first_0230 = at(2027, 10, 31, 2, 30, tz="Europe/Oslo")
    first = make_event(starts_at=first_0230, ends_at=first_0230 + timedelta(minutes=15))
    second = make_event(starts_at=first.starts_at + timedelta(hours=1), ends_at=first.ends_at + timedelta(hours=1))

    parsed = parse(feed([first, second]))

    starts = [e.decoded("DTSTART") for e in parsed.events]
    assert starts[1] - starts[0] == timedelta(hours=1)
    assert [s.astimezone(ZoneInfo("Europe/Oslo")).strftime("%H:%M %Z") for s in starts] == ["02:30 CEST", "02:30 CET"]


def test_no_floating_times_a_naive_datetime_is_refused():
    event = make_event(starts_at=datetime(2027, 1, 15, 9, 0), ends_at=datetime(2027, 1, 15, 11, 0))  # noqa: DTZ001

    with pytest.raises(ValueError, match="naive"):
        download(event)


def test_stamps_and_changes_are_utc():
    event = make_event(calendar_sequence=4)

    document = download(event)

    assert raw_value(document, "DTSTAMP") == ["20261201T120005Z"]
    assert raw_value(document, "CREATED") == ["20261101T080000Z"]
    assert raw_value(document, "LAST-MODIFIED") == ["20261102T080000Z"]
    assert raw_value(document, "SEQUENCE") == ["4"]


# --- the document's frame ------------------------------------------------------------------------------------


def test_download_is_a_publish_calendar_with_one_event():
    event = make_event(title="Dialogmøte om innkjøp")

    document = download(event)
    parsed = parse(document)

    assert document.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw_value(document, "PRODID") == ["-//eventapp//eventapp//EN"]
    assert raw_value(document, "VERSION") == ["2.0"]
    assert raw_value(document, "CALSCALE") == ["GREGORIAN"]
    assert raw_value(document, "METHOD") == ["PUBLISH"]
    assert str(parsed.event["SUMMARY"]) == "Dialogmøte om innkjøp"
    assert str(parsed.event["URL"]) == page_url(event)
    assert str(parsed.event["STATUS"]) == "CONFIRMED"
    assert str(parsed.event["ORGANIZER"]) == "mailto:post@nord.example.org"
    assert "ATTENDEE" not in parsed.event


def test_one_uid_for_the_event_in_feed_download_and_any_invitation_not_given_its_own():
    event = make_event()
    expected = f"{event.calendar_uid}@eventapp"

    uids = {str(parse(doc).event["UID"]) for doc in (download(event), invitation(event), feed([event]))}
    uids.add(str(parse(invitation(event, Method.CANCEL)).event["UID"]))

    assert uids == {expected}
    assert event_uid(event) == expected
    assert expected.isascii()
    assert event.slug not in expected  # nothing that can change, nothing personal


def test_every_line_ends_with_crlf_and_is_at_most_75_octets_without_splitting_a_character():
    event = make_event(
        title="Æøå " * 40,
        description_md=norwegian_text(),
        format=EventFormat.IN_PERSON,
        venue_name="Ærlig Åsmund Øvrebøs gate " * 5,
    )

    for document in (download(event), invitation(event, include_join_url=True), feed([event, make_event()])):
        assert b"\n" not in document.replace(b"\r\n", b"")  # no bare LF or CR anywhere
        lines = physical_lines(document)
        assert len(lines) > 100  # the long values were folded
        for line in lines:
            assert len(line) <= 75, line
            line.decode("utf-8")  # each piece is whole characters
        parse(document)


def test_folding_never_separates_an_escape_from_its_backslash():
    # Commas and semicolons at every offset: some land exactly on a fold.
    for shift in range(8):
        event = make_event(title="x" * shift + "a,b;c\\d" * 30)
        document = download(event)
        for line in physical_lines(document):
            run = len(line) - len(line.rstrip(b"\\"))
            assert run % 2 == 0, line  # an odd backslash run at the end would split "\," from its ","
        assert str(parse(document).event["SUMMARY"]) == "x" * shift + "a,b;c\\d" * 30


# --- text ------------------------------------------------------------------------------------------------------


def test_commas_semicolons_and_quotes_in_names_and_places_come_through():
    event = make_event(
        title=TRICKY_TITLE,
        format=EventFormat.IN_PERSON,
        venue_name=TRICKY_VENUE,
        venue_address="Storgata 1, 9008 Tromsø",
        city="Tromsø",
    )

    document = invitation(event)
    parsed = parse(document)

    assert raw_value(document, "SUMMARY") == ['Innkjøp\\; "Nord"\\, Øst – dialog\\, del 2']
    assert str(parsed.event["SUMMARY"]) == TRICKY_TITLE
    assert str(parsed.event["LOCATION"]) == 'Kommune; "Nord", Øst, Storgata 1, 9008 Tromsø'
    organizer, vorganizer = parsed.event["ORGANIZER"], parsed.vevent.organizer
    attendee, vattendee = parsed.event["ATTENDEE"], parsed.vevent.attendee
    # A parameter cannot hold a double quote: the name shows it as a single quote, in every parser.
    assert organizer.params["CN"] == vorganizer.params["CN"][0] == "Kommune; 'Nord', Øst"
    assert attendee.params["CN"] == vattendee.params["CN"][0] == "Øvrebø, Ærlig Åsmund"
    assert str(organizer) == vorganizer.value == "mailto:post@nord.example.org"
    assert str(attendee) == vattendee.value == "mailto:asmund@example.org"


def test_description_is_plain_text_with_summary_and_event_page():
    event = make_event(
        summary="Ett møte, to temaer; og «sitater».",
        description_md=(
            "Vi snakker om **innovative anskaffelser** og [veilederen](https://anskaffelser.no/veileder?a=1&b=2).\n\n"
            "* Behov\n* Dialog med *leverandører*\n\n"
            "1. Først\n2. Så\n\n"
            "Mer på <https://example.org/mer>."
        ),
    )

    description = str(parse(download(event)).event["DESCRIPTION"])

    assert description == (
        "Ett møte, to temaer; og «sitater».\n\n"
        "Vi snakker om innovative anskaffelser og veilederen (https://anskaffelser.no/veileder?a=1&b=2).\n\n"
        "- Behov\n- Dialog med leverandører\n\n"
        "1. Først\n2. Så\n\n"
        "Mer på https://example.org/mer.\n\n"
        f"Event page: {page_url(event)}"
    )


def test_a_10000_character_norwegian_description_arrives_whole():
    text = norwegian_text()
    event = make_event(summary="Sammendrag med æøå.", description_md=text)

    for document in (download(event), feed([event])):
        description = str(parse(document).event["DESCRIPTION"])
        assert description == f"Sammendrag med æøå.\n\n{text}\n\nEvent page: {page_url(event)}"
        assert len(text) == 10_000
        assert {"æ", "ø", "å"} <= set(text)


def test_location_is_the_venue_for_in_person_and_hybrid_and_online_otherwise():
    in_person = make_event(
        format=EventFormat.IN_PERSON, venue_name="Oslo rådhus", venue_address="Rådhusplassen 1", city="Oslo"
    )
    hybrid = make_event(format=EventFormat.HYBRID, venue_name="Tinghuset", city="Stockholm", online_url=JOIN_URL)
    online = make_event(format=EventFormat.ONLINE, online_url=JOIN_URL)

    parsed = parse(feed([in_person, hybrid, online]))

    assert [str(e["LOCATION"]) for e in parsed.events] == [
        "Oslo rådhus, Rådhusplassen 1, Oslo",
        "Tinghuset, Stockholm",
        "Online",
    ]


# --- join link -----------------------------------------------------------------------------------------------


def test_join_link_only_in_documents_for_a_confirmed_attendee():
    event = make_event(format=EventFormat.HYBRID, venue_name="Tinghuset", online_url=JOIN_URL)

    public = [download(event), feed([event]), invitation(event), invitation(event, Method.CANCEL)]
    for document in public:
        assert b"meet.example.org" not in document.replace(b"\r\n ", b"")
        assert "Join online" not in str(parse(document).event["DESCRIPTION"])

    for document in (invitation(event, include_join_url=True), download(event, include_join_url=True)):
        description = str(parse(document).event["DESCRIPTION"])
        assert description.startswith(f"Join online: {JOIN_URL}\n\n")
        assert raw_value(document, "DESCRIPTION")[0].startswith(
            "Join online: https://meet.example.org/j/123\\;a=b?x=1&y=2"
        )


# --- iTIP ------------------------------------------------------------------------------------------------------


def test_request_has_the_organizer_and_exactly_one_attendee_who_is_asked_for_no_reply():
    event = make_event(calendar_sequence=2)

    document = invitation(event)
    parsed = parse(document)

    assert raw_value(document, "METHOD") == ["REQUEST"]
    assert str(parsed.event["STATUS"]) == "CONFIRMED"
    assert parsed.event.decoded("SEQUENCE") == 2
    assert len(raw_value(document, "ATTENDEE")) == 1
    assert len(parsed.vevent.contents["attendee"]) == 1
    params = parsed.event["ATTENDEE"].params
    assert (params["ROLE"], params["PARTSTAT"], params["RSVP"], params["CUTYPE"]) == (
        "REQ-PARTICIPANT",
        "ACCEPTED",
        "FALSE",
        "INDIVIDUAL",
    )
    assert parsed.vevent.attendee.params["RSVP"] == ["FALSE"]
    assert b"RSVP=TRUE" not in document
    assert b"NEEDS-ACTION" not in document
    assert str(parsed.event["ORGANIZER"]) == "mailto:post@nord.example.org"


def test_cancel_says_cancelled_with_the_sequence_the_caller_raised_and_asks_nothing():
    event = make_event(calendar_sequence=3)

    document = invitation(event, Method.CANCEL)
    parsed = parse(document)

    assert raw_value(document, "METHOD") == ["CANCEL"]
    assert str(parsed.event["STATUS"]) == str(parsed.vevent.status.value) == "CANCELLED"
    assert parsed.event.decoded("SEQUENCE") == 3
    assert str(parsed.event["ORGANIZER"]) == "mailto:post@nord.example.org"
    [attendee] = raw_value(document, "ATTENDEE")
    assert "PARTSTAT" not in attendee
    assert "RSVP" not in attendee
    assert "PARTSTAT" not in parsed.event["ATTENDEE"].params
    assert "rsvp" not in {k.lower() for k in parsed.vevent.attendee.params}


def test_an_invitation_carries_the_uid_and_sequence_it_is_given():
    event = make_event(calendar_sequence=1)

    parsed = parse(invitation(event, uid="0123abcd@eventapp", sequence=7))

    assert str(parsed.event["UID"]) == parsed.vevent.uid.value == "0123abcd@eventapp"
    assert parsed.event.decoded("SEQUENCE") == 7
    assert parsed.vevent.sequence.value == "7"


def test_a_cancelled_event_is_cancelled_in_every_document():
    event = make_event(status=EventStatus.CANCELLED)

    for document in (download(event), invitation(event), feed([event])):
        assert str(parse(document).event["STATUS"]) == "CANCELLED"


@pytest.mark.parametrize("method", [Method.REQUEST, Method.CANCEL])
def test_request_and_cancel_need_organizer_and_attendee(method):
    event = make_event()

    with pytest.raises(ValueError, match="organizer and an attendee"):
        event_calendar(event, method=method, event_url=page_url(event), organizer=ORGANIZER)
    with pytest.raises(TypeError, match="organizer"):
        event_calendar(event, method=method, event_url=page_url(event), attendee=ATTENDEE)  # type: ignore[call-arg]  # no organizer, on purpose


def test_publish_takes_no_attendee_and_addresses_must_be_addresses():
    event = make_event()

    with pytest.raises(ValueError, match="PUBLISH"):
        event_calendar(event, method=Method.PUBLISH, event_url=page_url(event), organizer=ORGANIZER, attendee=ATTENDEE)
    smuggler = Person("Someone", "someone@example.org\r\nATTENDEE:mailto:evil@example.org")
    with pytest.raises(ValueError, match="email"):
        event_calendar(event, method=Method.REQUEST, event_url="x", organizer=ORGANIZER, attendee=smuggler)


# --- feeds -----------------------------------------------------------------------------------------------------


def test_feed_names_itself_asks_for_hourly_refresh_and_keeps_cancelled_events():
    events = [
        make_event(title="Først", starts_at=at(2027, 2, 1, 9, tz="Europe/Oslo")),
        make_event(title="Avlyst", starts_at=at(2027, 2, 2, 9, tz="Europe/Oslo"), status=EventStatus.CANCELLED),
        make_event(title="Sist", starts_at=at(2027, 2, 3, 9, tz="Europe/Oslo")),
    ]

    document = feed(events, description="Alle arrangementer; også avlyste.")
    parsed = parse(document)

    assert raw_value(document, "METHOD") == ["PUBLISH"]
    assert raw_value(document, "NAME") == ["Innovasjon"]
    assert raw_value(document, "X-WR-CALNAME") == ["Innovasjon"]
    assert raw_value(document, "X-WR-CALDESC") == ["Alle arrangementer\\; også avlyste."]
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in document.decode().split("\r\n")
    assert raw_value(document, "X-PUBLISHED-TTL") == ["PT1H"]
    assert parsed.vcalendar.contents["x-wr-calname"][0].value == "Innovasjon"
    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in parsed.events] == [
        ("Først", "CONFIRMED"),
        ("Avlyst", "CANCELLED"),
        ("Sist", "CONFIRMED"),
    ]
    assert len({str(e["UID"]) for e in parsed.events}) == 3


def test_feed_refresh_interval_follows_the_argument_and_no_description_means_none():
    document = feed([make_event()], refresh=timedelta(minutes=30))

    assert "REFRESH-INTERVAL;VALUE=DURATION:PT30M" in document.decode().split("\r\n")
    assert raw_value(document, "X-PUBLISHED-TTL") == ["PT30M"]
    assert raw_value(document, "X-WR-CALDESC") == []


def test_an_empty_feed_is_still_a_valid_calendar():
    document = feed([])

    parsed = parse(document)

    assert parsed.events == []
    assert re.search(rb"BEGIN:VCALENDAR\r\n.*END:VCALENDAR\r\n$", document, re.DOTALL)
