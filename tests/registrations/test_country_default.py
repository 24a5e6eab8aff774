"""The sign-up form's country starts from where the event is, else from the page's language: never
silently Norway for a Swede, a Dane or a Finn."""

from __future__ import annotations

import lxml.html
import pytest

from eventapp.events.enums import EventFormat


def chosen_country(client, url: str) -> list[str]:
    doc = lxml.html.fromstring(client.get(url).get_data(as_text=True))
    [select] = doc.xpath("//select[@name='country']")
    return [o.get("value") for o in select.xpath(".//option[@selected]")]


@pytest.mark.parametrize(("lang", "country"), [("sv", "SE"), ("da", "DK"), ("fi", "FI"), ("nb", "NO"), ("nn", "NO")])
def test_an_online_event_suggests_the_country_of_the_page_language(client, create_event, lang, country):
    event = create_event(format=EventFormat.ONLINE)

    assert chosen_country(client, f"/events/{event.slug}/register?lang={lang}") == [country]


def test_the_english_page_suggests_no_country(client, create_event):
    event = create_event(format=EventFormat.ONLINE)

    assert chosen_country(client, f"/events/{event.slug}/register?lang=en") in ([], [""])  # "Choose a country"


@pytest.mark.parametrize("lang", ["nb", "fi", "en"])
def test_an_event_in_malmo_suggests_sweden_in_every_language(client, create_event, lang):
    event = create_event(format=EventFormat.IN_PERSON, venue_name="Malmö rådhus", venue_country="SE")

    assert chosen_country(client, f"/events/{event.slug}/register?lang={lang}") == ["SE"]


def test_an_organiser_adding_a_person_starts_from_the_venue_country(client, create_event, create_account, log_in,
                                                                    add_manager):  # fmt: skip
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    event = create_event(format=EventFormat.IN_PERSON, venue_name="Aalborg Kongres", venue_country="DK")
    add_manager(event.id, user.id)

    assert chosen_country(client, f"/manage/events/{event.id}/registrations/new?lang=sv") == ["DK"]
