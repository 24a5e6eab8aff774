"""The calendar endpoints: /events/<slug>.ics, /calendar.ics and /programmes/<slug>.ics, and the links
to them on the pages."""

from __future__ import annotations

import re
import time
from html import unescape

import pytest
from sqlalchemy import select
from sqlalchemy import update as sa_update
from werkzeug.http import parse_options_header

from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import services
from tests.calendar.conftest import JOIN_URL, norwegian_text, parse, raw_value
from tests.conftest import at, soon
from tests.drafts import render_drafts
from tests.registrations.test_rules import data

CALENDAR_TYPE = "text/calendar; charset=utf-8"
BASE = "http://eventapp.test"  # EVENTAPP_BASE_URL in the tests


def summaries(response) -> list[str]:
    return [str(e["SUMMARY"]) for e in parse(response.get_data()).events]


def links(html: str) -> dict[str, str]:
    """Link text -> address, for every link on the page."""
    return {
        unescape(text).strip(): unescape(href) for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', html)
    }


# --- one event -------------------------------------------------------------------------------------------------


def test_event_file_is_the_event_as_a_calendar_to_open(client, create_event):
    event = create_event(
        title="Dialogmøte; «innkjøp», del 1",
        starts_at=at(2031, 3, 30, 1, 30, tz="Europe/Oslo"),
        ends_at=at(2031, 3, 30, 3, 30, tz="Europe/Oslo"),
        format=EventFormat.ONLINE,
        online_url=JOIN_URL,
    )

    response = client.get(f"/events/{event.slug}.ics")
    parsed = parse(response.get_data())

    assert response.status_code == 200
    assert response.headers["Content-Type"] == CALENDAR_TYPE
    assert parse_options_header(response.headers["Content-Disposition"]) == (
        "inline",
        {"filename": f"{event.slug}.ics"},
    )
    assert response.headers["ETag"]
    assert response.headers["Last-Modified"]
    assert raw_value(response.get_data(), "METHOD") == ["PUBLISH"]
    assert str(parsed.event["SUMMARY"]) == "Dialogmøte; «innkjøp», del 1"
    assert parsed.event.decoded("DTSTART") == event.starts_at
    assert raw_value(response.get_data(), "DTSTART") == ["20310330T003000Z"]  # 01:30 CET, before the change
    assert raw_value(response.get_data(), "DTEND") == ["20310330T013000Z"]  # 03:30 CEST, after it
    assert str(parsed.event["URL"]) == f"{BASE}/events/{event.slug}"
    assert str(parsed.event["DESCRIPTION"]).endswith(f"Event page: {BASE}/events/{event.slug}")
    assert b"meet.example.org" not in response.get_data().replace(b"\r\n ", b"")  # the join link is not public


def test_event_page_is_still_the_page_and_links_to_its_calendar_file(client, create_event):
    event = create_event(title="Webinar om dialog")

    response = client.get(f"/events/{event.slug}")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert links(response.get_data(as_text=True))["Add to calendar (.ics)"] == f"/events/{event.slug}.ics"


def test_links_use_the_configured_address_not_the_requests_host(client, create_event):
    event = create_event()

    response = client.get(f"/events/{event.slug}.ics", base_url="http://internal-proxy:8000")

    assert str(parse(response.get_data()).event["URL"]) == f"{BASE}/events/{event.slug}"


@pytest.mark.parametrize(
    "path", ["/events/a.b.ics", "/events/a.b", "/events/.ics", "/events/missing.ics", "/programmes/missing.ics"]
)
def test_unknown_and_dotted_addresses_are_not_found(client, create_event, path):
    create_event()

    assert client.get(path).status_code == 404


def test_a_draft_has_no_calendar_file(client, create_event):
    event = create_event(status=EventStatus.DRAFT)

    assert client.get(f"/events/{event.slug}.ics").status_code == 404


def test_a_cancelled_event_file_says_cancelled(client, create_event):
    event = create_event(status=EventStatus.CANCELLED)

    response = client.get(f"/events/{event.slug}.ics")

    assert str(parse(response.get_data()).event["STATUS"]) == "CANCELLED"


def test_feed_and_download_share_the_events_uid_and_an_attendee_has_their_own(app, client, create_event):
    event = create_event(title="Samme hendelse", format=EventFormat.ONLINE, online_url=JOIN_URL)
    with app.app_context():
        token = services.register(event.id, data("ase@example.org")).token
        render_drafts()  # as the worker does before sending
        [invitation] = db.session.scalars(select(OutboxMessage.calendar)).all()

    in_feed = parse(client.get("/calendar.ics").get_data()).event
    downloaded = parse(client.get(f"/events/{event.slug}.ics").get_data()).event
    invited = parse(invitation).event
    personal = parse(client.get(f"/r/{token}/calendar.ics").get_data()).event

    assert str(in_feed["UID"]) == str(downloaded["UID"]) == f"{event.calendar_uid}@eventapp"
    # Åse's invitation and her own calendar file are one entry of hers, apart from the public one.
    assert str(invited["UID"]) == str(personal["UID"]) != str(in_feed["UID"])
    assert int(personal["SEQUENCE"]) == int(invited["SEQUENCE"])
    assert str(personal["CONFERENCE"]) == JOIN_URL
    assert "CONFERENCE" not in in_feed
    assert "CONFERENCE" not in downloaded


# --- HTTP caching ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["event", "catalogue", "programme"])
def test_a_calendar_client_polling_an_unchanged_calendar_gets_304(client, create_event, dummy_programme, kind):
    event = create_event(programme=dummy_programme)
    path = {
        "event": f"/events/{event.slug}.ics",
        "catalogue": "/calendar.ics?kind=webinar",
        "programme": f"/programmes/{dummy_programme.slug}.ics",
    }[kind]
    first = client.get(path)

    by_etag = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    by_date = client.get(path, headers={"If-Modified-Since": first.headers["Last-Modified"]})

    assert first.status_code == 200
    assert first.headers["Content-Type"] == CALENDAR_TYPE
    assert by_etag.status_code == 304
    assert by_etag.get_data() == b""
    assert by_date.status_code == 304


def test_an_edited_event_shows_in_the_next_feed_fetch(client, in_app, create_event):
    event = create_event(title="Gammel tittel")
    first = client.get("/calendar.ics")
    assert summaries(first) == ["Gammel tittel"]

    with in_app():
        db.session.get(Event, event.id).title = "Ny tittel"
        db.session.commit()
    again = client.get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})

    assert again.status_code == 200
    assert summaries(again) == ["Ny tittel"]
    assert again.headers["ETag"] != first.headers["ETag"]
    assert summaries(client.get(f"/events/{event.slug}.ics")) == ["Ny tittel"]


# --- the catalogue feed ----------------------------------------------------------------------------------------


def test_catalogue_feed_has_past_upcoming_and_cancelled_events_in_order_and_no_drafts(client, create_event):
    create_event(title="Neste måned", starts_at=soon(30))
    create_event(title="I fjor", starts_at=soon(-300))
    create_event(title="Avlyst", starts_at=soon(10), status=EventStatus.CANCELLED)
    create_event(title="Utkast", starts_at=soon(5), status=EventStatus.DRAFT)
    create_event(title="Forrige uke", starts_at=soon(-7))

    response = client.get("/calendar.ics")
    parsed = parse(response.get_data())

    assert response.headers["Content-Type"] == CALENDAR_TYPE
    assert [(str(e["SUMMARY"]), str(e["STATUS"])) for e in parsed.events] == [
        ("I fjor", "CONFIRMED"),
        ("Forrige uke", "CONFIRMED"),
        ("Avlyst", "CANCELLED"),
        ("Neste måned", "CONFIRMED"),
    ]


def test_catalogue_feed_names_itself_and_asks_to_be_refreshed_hourly(client, create_event):
    create_event()

    document = client.get("/calendar.ics").get_data()

    assert raw_value(document, "NAME") == ["eventapp"]
    assert raw_value(document, "X-WR-CALNAME") == ["eventapp"]
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in document.decode().split("\r\n")
    assert raw_value(document, "X-PUBLISHED-TTL") == ["PT1H"]
    assert raw_value(document, "METHOD") == ["PUBLISH"]


def test_catalogue_feed_never_carries_a_join_link(client, create_event):
    create_event(format=EventFormat.ONLINE, online_url=JOIN_URL)
    create_event(format=EventFormat.HYBRID, venue_name="Tinghuset", online_url=JOIN_URL)

    document = client.get("/calendar.ics").get_data()

    assert len(parse(document).events) == 2
    assert b"meet.example.org" not in document.replace(b"\r\n ", b"")


def test_catalogue_feed_takes_the_catalogues_filters(client, create_event, create_programme):
    programme = create_programme(title="Innovasjon i Nord")
    create_event(title="Webinar om innkjøp", kind=EventKind.WEBINAR, programme=programme, starts_at=soon(3))
    create_event(title="Workshop om innkjøp", kind=EventKind.WORKSHOP, programme=programme, starts_at=soon(4))
    create_event(title="Webinar om skole", kind=EventKind.WEBINAR, starts_at=soon(5))

    by_kind = client.get("/calendar.ics?kind=webinar")
    by_programme = client.get(f"/calendar.ics?programme={programme.slug}")
    by_search = client.get("/calendar.ics?q=INNKJØP")
    combined = client.get(f"/calendar.ics?kind=webinar&programme={programme.slug}&q=innkjøp")

    assert summaries(by_kind) == ["Webinar om innkjøp", "Webinar om skole"]
    assert summaries(by_programme) == ["Webinar om innkjøp", "Workshop om innkjøp"]
    assert summaries(by_search) == ["Webinar om innkjøp", "Workshop om innkjøp"]
    assert summaries(combined) == ["Webinar om innkjøp"]
    assert raw_value(combined.get_data(), "X-WR-CALNAME") == ["eventapp – Webinar – Innovasjon i Nord – “innkjøp”"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=nonsense", "There is no kind of event called “nonsense”."),
        ("programme=nowhere", "There is no programme called “nowhere”."),
        ("q=" + "x" * 201, "Search text can be at most 200 characters."),
    ],
)
def test_bad_filters_get_a_short_plain_400(client, create_event, query, message):
    create_event()

    response = client.get(f"/calendar.ics?{query}")

    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == message + "\n"


@pytest.mark.parametrize("query", ["q=%00", "q=innkj%00%C3%B8p", "q=%ED%A0%80", "programme=%FF%FE", "q=_%25%5C"])
def test_odd_filter_input_never_breaks_the_feed_or_the_catalogue(client, create_event, query):
    create_event(title="Om innkjøp")

    feed = client.get(f"/calendar.ics?{query}")
    page = client.get(f"/?{query}")

    assert feed.status_code in (200, 400)  # PostgreSQL refuses NUL in text: it must never reach it
    assert page.status_code == feed.status_code
    if feed.status_code == 200:
        assert feed.headers["Content-Type"] == CALENDAR_TYPE
        parse(feed.get_data())
    if query == "q=innkj%00%C3%B8p":
        # A control character in a search box is refused, and said plainly (eventapp.forms), never searched.
        assert feed.status_code == 400
        assert feed.mimetype == "text/plain"


def test_feed_costs_the_same_queries_for_1_and_50_events(client, create_event, count_queries):
    create_event()
    with count_queries() as one:
        assert len(parse(client.get("/calendar.ics").get_data()).events) == 1

    for n in range(49):
        create_event(starts_at=soon(n + 1), description_md=norwegian_text(500))
    with count_queries() as fifty:
        assert len(parse(client.get("/calendar.ics").get_data()).events) == 50

    assert one.count == fifty.count == 3  # content version, programmes for the filter, the events


# --- a programme's feed ----------------------------------------------------------------------------------------


def test_programme_feed_has_its_events_and_its_name(client, create_event, create_programme):
    programme = create_programme(title="Nordisk innkjøp", summary="Dialog, mellom land.")
    other = create_programme()
    create_event(title="Andre møte", programme=programme, starts_at=soon(20))
    create_event(title="Første møte", programme=programme, starts_at=soon(-20))
    create_event(title="Avlyst møte", programme=programme, starts_at=soon(25), status=EventStatus.CANCELLED)
    create_event(title="Ikke vårt", programme=other)
    create_event(title="Uten program")

    response = client.get(f"/programmes/{programme.slug}.ics")

    assert response.headers["Content-Type"] == CALENDAR_TYPE
    assert summaries(response) == ["Første møte", "Andre møte", "Avlyst møte"]
    assert raw_value(response.get_data(), "X-WR-CALNAME") == ["Nordisk innkjøp"]
    assert raw_value(response.get_data(), "X-WR-CALDESC") == ["Dialog\\, mellom land."]


# --- links on the pages ----------------------------------------------------------------------------------------


def test_catalogue_offers_a_subscription_to_exactly_what_it_shows(client, create_event):
    create_event(title="Webinar om innkjøp", kind=EventKind.WEBINAR)
    create_event(title="Workshop om innkjøp", kind=EventKind.WORKSHOP)

    page = links(client.get("/?kind=webinar&q=innkjøp&page=1").get_data(as_text=True))
    subscribe = page["Subscribe to these events in your calendar"]
    download = page["Download them as a calendar file (.ics)"]

    assert subscribe == "webcal://eventapp.test/calendar.ics?kind=webinar&q=innkj%C3%B8p"
    assert download == "http://eventapp.test/calendar.ics?kind=webinar&q=innkj%C3%B8p"
    assert summaries(client.get(download.removeprefix(BASE))) == ["Webinar om innkjøp"]


def test_unfiltered_catalogue_subscribes_to_everything(client, create_event):
    create_event()

    page = links(client.get("/").get_data(as_text=True))

    assert page["Subscribe to these events in your calendar"] == "webcal://eventapp.test/calendar.ics"


def test_programme_page_offers_a_subscription_to_its_events(client, create_event, dummy_programme):
    create_event(title="I programmet", programme=dummy_programme)

    page = links(client.get(f"/programmes/{dummy_programme.slug}").get_data(as_text=True))

    assert (
        page["Subscribe to these events in your calendar"]
        == f"webcal://eventapp.test/programmes/{dummy_programme.slug}.ics"
    )
    download = page["Download them as a calendar file (.ics)"]
    assert download == f"{BASE}/programmes/{dummy_programme.slug}.ics"
    assert summaries(client.get(download.removeprefix(BASE))) == ["I programmet"]


def test_calendar_words_follow_the_events_language_in_files_and_feeds(client, create_event):
    """An online event in Norwegian says where it is in Norwegian in the file and in the feed; one in
    Finnish in Finnish; a language without a catalogue falls back to English."""
    norwegian = create_event(language="nb", format=EventFormat.ONLINE, venue_name="", venue_address="")
    finnish = create_event(language="fi", format=EventFormat.ONLINE, venue_name="", venue_address="")
    icelandic = create_event(language="is", format=EventFormat.ONLINE, venue_name="", venue_address="")

    def location(body: bytes, uid_part: str) -> str:
        for vevent in parse(body).events:
            if uid_part in str(vevent["UID"]):
                return str(vevent["LOCATION"])
        raise AssertionError(uid_part)

    assert location(client.get(f"/events/{norwegian.slug}.ics").data, norwegian.calendar_uid) == "Digitalt"
    description = str(parse(client.get(f"/events/{norwegian.slug}.ics").data).event["DESCRIPTION"])
    assert description.splitlines()[-1].startswith("Arrangementsside: http://eventapp.test/events/")
    feed = client.get("/calendar.ics").data
    assert location(feed, norwegian.calendar_uid) == "Digitalt"
    assert location(feed, finnish.calendar_uid) == "Verkossa"
    assert location(feed, icelandic.calendar_uid) == "Online"


def test_every_worker_writes_the_same_feed_so_a_calendar_clients_etag_holds(app, create_event):
    """Two processes (two app instances with their own page caches) answer the same bytes and ETag, and
    each answers the other's ETag with 304: DTSTAMP is when the events last changed, not "now"."""
    from eventapp import create_app

    create_event()
    create_event()
    other = create_app({**app.config})
    try:
        first = app.test_client().get("/calendar.ics")
        time.sleep(1.1)  # the other worker renders a second later
        second = other.test_client().get("/calendar.ics")
        assert first.data == second.data
        assert first.headers["ETag"] == second.headers["ETag"]
        polled = other.test_client().get("/calendar.ics", headers={"If-None-Match": first.headers["ETag"]})
        assert polled.status_code == 304
    finally:
        with other.app_context():
            from eventapp.extensions import db

            db.engine.dispose()


# --- one bad row, and the organizer -------------------------------------------------------------------------


def test_one_event_with_control_characters_in_the_database_never_breaks_a_feed(
    app, client, create_event, create_programme
):
    programme = create_programme()
    good = create_event(title="Godt møte", programme=programme, starts_at=soon(10))
    bad = create_event(title="placeholder", programme=programme, starts_at=soon(11))
    with app.app_context():  # an old row, written before the forms refused such characters
        db.session.execute(
            sa_update(Event)
            .where(Event.id == bad.id)
            .values(title="Ring\x07 klokka\x0bog\x1b[1m fet", summary="\x1b\x1f?", venue_name="Sal\x7f 1")
        )
        db.session.commit()

    for url in ("/calendar.ics", f"/programmes/{programme.slug}.ics", f"/events/{bad.slug}.ics"):
        response = client.get(url)
        document = response.get_data()

        assert response.status_code == 200
        assert re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", document.replace(b"\r\n", b"")) is None
        parsed = parse(document)  # icalendar and vobject agree on every event
        titles = {str(e["UID"]): str(e["SUMMARY"]) for e in parsed.events}
        assert titles[f"{bad.calendar_uid}@eventapp"] == "Ring klokka\nog[1m fet"
        if url != f"/events/{bad.slug}.ics":
            assert titles[f"{good.calendar_uid}@eventapp"] == "Godt møte"


def test_every_public_calendar_names_the_sites_sender_as_organizer(client, create_event, create_programme):
    programme = create_programme()
    event = create_event(programme=programme)

    for url in ("/calendar.ics", f"/programmes/{programme.slug}.ics", f"/events/{event.slug}.ics"):
        parsed = parse(client.get(url).get_data())

        assert str(parsed.event["ORGANIZER"]) == "mailto:noreply@example.org", url
        assert parsed.event["ORGANIZER"].params["CN"] == "eventapp"
        assert parsed.vevent.organizer.value == "mailto:noreply@example.org"
