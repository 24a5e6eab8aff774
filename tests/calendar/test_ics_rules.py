"""calendar.ics: no control characters in any document, the join link where clients show it (for a
confirmed attendee only), and an ORGANIZER for every event. Two parsers read every document."""

from __future__ import annotations

import re

import pytest

from eventapp.calendar.ics import Labels, Method, Person, event_calendar, feed_calendar
from eventapp.events.enums import EventFormat
from tests.calendar.conftest import JOIN_URL, make_event, page_url, parse
from tests.calendar.test_ics import NOW, ORGANIZER, download, feed, invitation

# --- control characters ----------------------------------------------------------------------------------------

#: RFC 5545's CONTROL (3.1: every C0 control but tab, and DEL) and the C1 controls, as bytes; CR is
#: allowed only before LF.
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]|\xc2[\x80-\x9f]")


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ("Dialog\x07møte", "Dialogmøte"),
        ("Del 1\x0bDel 2", "Del 1\nDel 2"),
        ("\x1b[31mRødt\x1b[0m", "[31mRødt[0m"),
        ("Nul\x00 og DEL\x7f og C1\x85slutt", "Nul og DEL og C1\nslutt"),
        ("Linje\u2028skille\r\nog\rCR", "Linje\nskille\nog\nCR"),
        ("Tab\tblir", "Tab\tblir"),
    ],
)
def test_control_characters_never_reach_a_calendar(title, shown):
    event = make_event(
        title=title,
        summary=f"Kort {title}",
        description_html=f"<p>{title}</p>",
        format=EventFormat.HYBRID,
        venue_name=f"Sal {title}",
        online_url=f"https://meet.example.org/j/1\x07{title[:1]}",
    )
    attendee = Person(f"Åse {title}", "ase@example.org")

    documents = [
        download(event),
        feed([event]),
        invitation(event, include_join_url=True),
        event_calendar(event, method=Method.CANCEL, event_url=page_url(event) + "\x1b", organizer=ORGANIZER,
                       attendee=attendee, now=NOW),
        feed_calendar([event], name=f"Feed {title}", description=title, event_url=page_url,
                      organizer_for=lambda _e: Person(f"Org {title}", "post@example.org"), now=NOW),
    ]  # fmt: skip

    for document in documents:
        assert _CONTROL_BYTES.search(document.replace(b"\r\n", b"")) is None, document
        parsed = parse(document)
        assert str(parsed.event["SUMMARY"]) == shown
        assert str(parsed.event["LOCATION"]).startswith(f"Sal {shown}")
        assert parsed.event.decoded("DTSTART") == event.starts_at


def test_a_cancel_carries_the_attendee_name_without_control_characters():
    document = event_calendar(
        make_event(), method=Method.CANCEL, event_url="https://eventapp.test/e", organizer=ORGANIZER,
        attendee=Person("Åse\x07 \x1bNordmann\x0b", "ase@example.org"), now=NOW,
    )  # fmt: skip

    assert parse(document).event["ATTENDEE"].params["CN"] == "Åse Nordmann"
    assert parse(document).vevent.attendee.params["CN"] == ["Åse Nordmann"]


def test_an_address_with_a_control_character_is_refused():
    with pytest.raises(ValueError, match="email"):
        event_calendar(make_event(), method=Method.REQUEST, event_url="https://eventapp.test/e", organizer=ORGANIZER,
                       attendee=Person("Åse", "ase\x07@example.org"))  # fmt: skip


# --- join link where clients show it ---------------------------------------------------------------------------


def test_a_confirmed_attendee_finds_the_join_link_in_location_and_as_the_conference():
    online = make_event(format=EventFormat.ONLINE, online_url=JOIN_URL)
    hybrid = make_event(format=EventFormat.HYBRID, venue_name="Tinghuset", city="Stockholm", online_url=JOIN_URL)
    in_person = make_event(format=EventFormat.IN_PERSON, venue_name="Oslo rådhus", online_url=JOIN_URL)

    locations = {}
    for event in (online, hybrid, in_person):
        document = invitation(event, include_join_url=True)
        parsed = parse(document)
        locations[event.format] = str(parsed.event["LOCATION"])
        if event.has_online_part:
            conference = parsed.event["CONFERENCE"]
            assert str(conference) == JOIN_URL
            assert (conference.params["VALUE"], conference.params["FEATURE"], conference.params["LABEL"]) == (
                "URI", "VIDEO", "Join online",
            )  # fmt: skip
            assert parsed.vevent.conference.value == JOIN_URL
        else:
            assert "CONFERENCE" not in parsed.event
            assert b"meet.example.org" not in document.replace(b"\r\n ", b"")

    assert locations == {
        EventFormat.ONLINE: JOIN_URL,
        EventFormat.HYBRID: f"Tinghuset, Stockholm; Online: {JOIN_URL}",
        EventFormat.IN_PERSON: "Oslo rådhus",
    }


def test_the_join_link_labels_follow_the_readers_language():
    event = make_event(format=EventFormat.HYBRID, venue_name="Tinghuset", online_url=JOIN_URL)

    parsed = parse(invitation(event, include_join_url=True, labels=Labels(online="På nett", join="Bli med")))

    assert str(parsed.event["LOCATION"]) == f"Tinghuset; På nett: {JOIN_URL}"
    assert parsed.event["CONFERENCE"].params["LABEL"] == "Bli med"


def test_no_join_link_anywhere_in_public_documents_or_a_cancellation():
    event = make_event(format=EventFormat.ONLINE, online_url=JOIN_URL)

    for document in (download(event), feed([event]), invitation(event), invitation(event, Method.CANCEL)):
        parsed = parse(document)
        assert "CONFERENCE" not in parsed.event
        assert str(parsed.event["LOCATION"]) == "Online"


# --- ORGANIZER ---------------------------------------------------------------------------------------------------


def test_every_event_in_a_feed_names_its_organizer():
    events = [make_event(), make_event()]
    people = {events[0].slug: Person("Program Nord", "nord@example.org"), events[1].slug: ORGANIZER}

    document = feed_calendar(events, name="F", event_url=page_url, organizer_for=lambda e: people[e.slug], now=NOW)
    parsed = parse(document)

    assert [str(e["ORGANIZER"]) for e in parsed.events] == ["mailto:nord@example.org", "mailto:post@nord.example.org"]
    assert [e.organizer.value for e in parsed.vevents] == ["mailto:nord@example.org", "mailto:post@nord.example.org"]
    assert parsed.events[0]["ORGANIZER"].params["CN"] == "Program Nord"
