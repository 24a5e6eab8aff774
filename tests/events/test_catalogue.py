"""The public catalogue at /: upcoming and past events, filters, bad input, query counts."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest

from eventapp.events.enums import EventFormat, EventKind, EventStatus
from tests.conftest import at, soon


def titles(html: str) -> list[str]:
    """Event titles in the order the page lists them."""
    return [unescape(t) for t in re.findall(r'class="event-card__title"><a [^>]*>([^<]+)</a>', html)]


def section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    end = html.find("</section>", start)
    return html[start:end]


def test_upcoming_soonest_first_and_past_newest_first(client, create_event):
    create_event(title="Later webinar", starts_at=soon(30))
    create_event(title="Sooner webinar", starts_at=soon(3))
    create_event(title="Long ago", starts_at=soon(-300))
    create_event(title="Recently", starts_at=soon(-10))

    response = client.get("/")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert titles(section(html, "upcoming-heading")) == ["Sooner webinar", "Later webinar"]
    assert titles(section(html, "past-heading")) == ["Recently", "Long ago"]


def test_event_happening_now_is_still_upcoming(client, create_event):
    create_event(title="Happening now", starts_at=soon(0, hour=0) - timedelta(hours=1), ends_at=soon(1, hour=0))

    html = client.get("/").get_data(as_text=True)

    assert titles(section(html, "upcoming-heading")) == ["Happening now"]


def test_drafts_are_not_listed_and_cancelled_events_are_marked(client, create_event):
    create_event(title="Secret draft", status=EventStatus.DRAFT)
    create_event(title="Called off", status=EventStatus.CANCELLED)

    html = client.get("/").get_data(as_text=True)

    assert "Secret draft" not in html
    card = html[html.index("Called off") - 600 : html.index("Called off")]
    assert "Cancelled" in card


def test_card_shows_local_time_with_zone_and_place(client, create_event, dummy_programme):
    create_event(
        title="Kick-off in Oslo",
        starts_at=at(2031, 3, 4, 10, 0, tz="Europe/Oslo"),
        format=EventFormat.IN_PERSON,
        city="Oslo",
        programme=dummy_programme,
    )
    create_event(
        title="Helsinki webinar", starts_at=at(2031, 3, 4, 10, 0, tz="Europe/Helsinki"), timezone="Europe/Helsinki"
    )

    html = client.get("/").get_data(as_text=True)

    assert "Tuesday, 4 March 2031, 10:00" in html  # both, each in its own zone
    assert html.count("Tuesday, 4 March 2031, 10:00") == 2
    assert "Central European Standard Time" in html
    assert "Eastern European Standard Time" in html
    assert "In person · Oslo" in html
    assert dummy_programme.title in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=workshop", ["Workshop in Bergen"]),
        ("kind=webinar", ["Webinar on SDGs"]),
        ("q=bergen", ["Workshop in Bergen"]),
        ("q=BÆREKRAFT", ["Webinar on SDGs"]),  # case-insensitive beyond ASCII, on SQLite too
        ("q=sdgs+bærekraft", ["Webinar on SDGs"]),  # every word must match
        ("q=100%25", []),  # a literal percent sign is not a wildcard
        ("q=_", []),
        ("kind=workshop&q=sdgs", []),
    ],
)
def test_filters(client, create_event, query, expected):
    create_event(title="Webinar on SDGs", summary="Bærekraftsmål i innkjøp", kind=EventKind.WEBINAR)
    create_event(title="Workshop in Bergen", kind=EventKind.WORKSHOP, city="Bergen", format=EventFormat.IN_PERSON)

    response = client.get(f"/?{query}")

    assert response.status_code == 200
    assert titles(section(response.get_data(as_text=True), "upcoming-heading")) == expected


def test_filter_by_programme(client, create_event, create_programme):
    north = create_programme(slug="north", title="North network")
    south = create_programme(slug="south", title="South network")
    create_event(title="North meeting", programme=north)
    create_event(title="South meeting", programme=south)

    html = client.get("/?programme=south").get_data(as_text=True)

    assert titles(section(html, "upcoming-heading")) == ["South meeting"]
    assert '<option selected value="south">South network</option>' in html


def test_filters_that_match_nothing_say_so(client, create_event):
    create_event(title="Webinar on SDGs")

    html = client.get("/?q=zeppelin").get_data(as_text=True)

    assert "No upcoming events match your filters." in html
    assert "Clear filters" in html


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("kind=nonsense", "There is no kind of event called “nonsense”."),
        ("programme=no-such-programme", "There is no programme called “no-such-programme”."),
        ("q=" + "x" * 5000, "Search text can be at most 200 characters."),
        ("page=-1", "There is no page “-1” of past events"),
        ("page=abc", "There is no page “abc” of past events"),
        ("page=99999999999999999999", "of past events; showing the first."),
    ],
)
def test_bad_filters_give_a_400_page_that_explains_and_still_lists_events(client, create_event, query, message):
    create_event(title="Webinar on SDGs")

    response = client.get(f"/?{query}")
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in html
    assert "Webinar on SDGs" in html  # the invalid part is ignored, the page still works


def test_bad_kind_keeps_the_valid_search(client, create_event):
    create_event(title="Webinar on SDGs")
    create_event(title="Workshop in Bergen", kind=EventKind.WORKSHOP)

    response = client.get("/?kind=nonsense&q=bergen")

    assert response.status_code == 400
    assert titles(section(response.get_data(as_text=True), "upcoming-heading")) == ["Workshop in Bergen"]


def test_past_events_are_paged(client, create_event):
    for i in range(23):
        create_event(title=f"Past {i:02d}", starts_at=soon(-10 - i))

    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)

    assert titles(section(first, "past-heading")) == [f"Past {i:02d}" for i in range(20)]
    assert "Older past events" in first
    assert titles(section(second, "past-heading")) == ["Past 20", "Past 21", "Past 22"]
    assert "upcoming-heading" not in second
    assert "Newer past events" in second


def test_catalogue_query_count_does_not_grow_with_events(client, create_event, create_programme, count_queries):
    programme = create_programme()
    create_event(programme=programme)
    with count_queries() as one:
        assert client.get("/").status_code == 200

    for i in range(49):
        create_event(programme=create_programme() if i % 2 else programme, starts_at=soon(-5 if i % 3 else 5 + i))
    with count_queries() as fifty:
        html = client.get("/").get_data(as_text=True)

    assert len(titles(html)) == 20 + len(titles(section(html, "upcoming-heading")))
    assert fifty.count == one.count
    assert one.count <= 4  # content version, programmes for the filter, upcoming, past
