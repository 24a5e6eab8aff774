"""Where is it? The address with a plain map link, directions, and coordinates that reach calendars."""

from __future__ import annotations

from html import unescape

import lxml.html
import pytest

from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from tests.calendar.conftest import parse, raw_value
from tests.manage.test_events import FORM
from tests.registrations.conftest import csrf_token, text_of

VENUE = {"venue_name": "Malmö rådhus", "venue_address": "Stortorget 2, 211 22 Malmö", "city": "Malmö"}


@pytest.fixture
def organiser(client, create_account, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def post_event(client, **changes):
    token = csrf_token(client.get("/manage/events/new").get_data(as_text=True))
    return client.post("/manage/events/new", data={**FORM, **changes, "csrf_token": token})


def test_an_in_person_event_shows_the_address_a_map_link_and_how_to_get_there(client, create_event):
    directions = "Buss 2 til Stortorget.\nTrinnfri inngang fra Kyrkogatan; teleslynge i salen."
    event = create_event(
        format=EventFormat.IN_PERSON, **VENUE, latitude=55.6059, longitude=13.0007, directions=directions
    )

    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    doc = lxml.html.fromstring(html)
    [link] = doc.xpath("//a[contains(@class, 'map-link')]")

    assert link.get("href") == "https://www.openstreetmap.org/?mlat=55.605900&mlon=13.000700#map=17/55.605900/13.000700"
    assert "Show on a map (OpenStreetMap)" in link.text_content()
    assert html.count("openstreetmap.org") == 1  # a plain link: nothing is loaded from the map site
    assert "How to get there Buss 2 til Stortorget. Trinnfri inngang fra Kyrkogatan; teleslynge i salen." in (
        text_of(html)
    )


def test_without_coordinates_the_map_link_searches_the_address(client, create_event):
    event = create_event(format=EventFormat.HYBRID, **VENUE)

    doc = lxml.html.fromstring(client.get(f"/events/{event.slug}").get_data(as_text=True))

    assert [unescape(a.get("href")) for a in doc.xpath("//a[contains(@class, 'map-link')]")] == [
        "https://www.openstreetmap.org/search?query=Stortorget+2%2C+211+22+Malm%C3%B6%2C+Malm%C3%B6"
    ]
    assert doc.xpath("//*[contains(@class, 'event__directions')]") == []


def test_an_online_event_has_no_map_link(client, create_event):
    event = create_event(format=EventFormat.ONLINE, latitude=59.9, longitude=10.7)

    assert "map-link" not in client.get(f"/events/{event.slug}").get_data(as_text=True)


def test_coordinates_give_geo_in_the_calendar(client, create_event):
    with_geo = create_event(format=EventFormat.IN_PERSON, **VENUE, latitude=55.6059, longitude=13.0007)
    without = create_event(format=EventFormat.IN_PERSON, **VENUE)

    body = client.get(f"/events/{with_geo.slug}.ics").get_data()

    assert raw_value(body, "GEO") == ["55.605900;13.000700"]
    assert tuple(parse(body).event.decoded("GEO")) == (55.6059, 13.0007)
    assert "GEO" not in parse(client.get(f"/events/{without.slug}.ics").get_data()).event


def test_the_organiser_gives_country_directions_and_coordinates(app, client, organiser):
    response = post_event(client, format="in_person", venue_country="SE", **VENUE, latitude="55.6059",
                          longitude="13.0007", directions="Buss 2 til Stortorget.")  # fmt: skip

    assert response.status_code == 303
    with app.app_context():
        event = db.session.scalars(db.select(Event)).one()
        assert (event.venue_country, event.directions, event.latitude, event.longitude) == (
            "SE", "Buss 2 til Stortorget.", 55.6059, 13.0007)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"latitude": "95", "longitude": "10"}, "Latitude (optional): A latitude is between -90 and 90 degrees."),
        ({"latitude": "59.9", "longitude": "-181"}, "Longitude (optional): A longitude is between -180 and 180"),
        ({"latitude": "59.9"}, "Longitude (optional): Give both the latitude and the longitude, or neither."),
        ({"latitude": "nord", "longitude": "10"}, "Latitude (optional): Not a valid decimal value."),
        ({"venue_country": "XX"}, "Country of the venue: Not a valid choice."),
        ({"latitude": "NaN", "longitude": "10"}, "Latitude (optional): Give decimal degrees, such as 59.9115."),
        (
            {"latitude": "59.9", "longitude": "-Infinity"},
            "Longitude (optional): Give decimal degrees, such as 59.9115.",
        ),
    ],
)
def test_bad_coordinates_or_country_are_refused_at_the_field(app, client, organiser, changes, message):
    response = post_event(client, **changes)

    assert response.status_code == 400
    assert message in text_of(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(db.select(Event)).all() == []
