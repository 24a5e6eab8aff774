"""In Chromium, in all six languages: the event page says where it is (address, a plain map link, how to
get there), the organiser reads each applicant's answers by opening them under the name and sees the
whole pending list side by side, and the event form takes a venue's country and coordinates. Every one
of those page states is axe-clean."""

from __future__ import annotations

import pytest

from eventapp.accounts.enums import Role
from tests.browser import scene
from tests.browser.conftest import Stack, follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

LANGUAGES = ("nb", "nn", "sv", "da", "fi", "en")
DIALOGUE = "nordisk-bestillerdialog-utslippsfrie-leveranser"  # demo: in person, directions, people pending
PAST_WEBINAR = "markedsdialog-i-praksis"  # demo: recording, slides, board, summary
ORGANISER = "where.admin@example.org"


@pytest.fixture(scope="module")
def dialogue_id(stack: Stack) -> int:
    stack.run(scene.add_organiser, ORGANISER, name="Wenche Admin", role=Role.ADMIN)
    return stack.run(scene.event_id, DIALOGUE)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_event_page_says_where_it_is_with_a_plain_map_link(page, check_a11y, lang):
    page.goto(f"/events/{DIALOGUE}?lang={lang}")

    link = page.locator("a.map-link")
    assert link.get_attribute("href") == (
        "https://www.openstreetmap.org/?mlat=59.908700&mlon=10.743600#map=17/59.908700/10.743600"
    )
    assert "OpenStreetMap" in link.inner_text()
    assert "teleslynge" in page.locator(".event__directions").inner_text()
    assert page.locator("iframe, img[src*=openstreetmap], script[src*=openstreetmap]").count() == 0
    check_a11y(page, f"event page with directions ({lang})")

    page.goto(f"/events/{PAST_WEBINAR}?lang={lang}")
    assert page.get_by_text("Opptak av webinaret").count() >= 1
    assert page.locator("a[href$='.pdf'], a[download]").count() >= 1 or ".pdf" in page.content()
    check_a11y(page, f"past webinar with its materials ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_organiser_reads_answers_before_deciding_and_compares_everyone_pending(page, check_a11y, dialogue_id, lang):
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{dialogue_id}/registrations?status=pending&lang={lang}")
    applications = page.locator("details.application")
    assert applications.count() == 4
    applications.first.locator("summary").click()
    assert applications.first.locator("dd").first.is_visible()
    assert "Deltakelsen er forankret i ledelsen" in applications.first.inner_text()
    check_a11y(page, f"registrations with an application open ({lang})")

    follow(page, page.locator(f"a[href='/manage/events/{dialogue_id}/registrations/pending']"))
    assert page.locator("tbody tr").count() == 4
    assert "Hurtigbåter og ferjer" in page.locator("table").inner_text()
    check_a11y(page, f"pending side by side ({lang})")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_event_form_takes_country_directions_and_coordinates(page, check_a11y, dialogue_id, lang):
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{dialogue_id}/edit?lang={lang}")
    check_a11y(page, f"event form with the place fields ({lang})")

    page.locator("#latitude").fill("95")
    follow(page, page.locator("main form.form button[type=submit]").last)

    assert page.locator(".error-summary").count() == 1
    assert page.locator("#latitude").get_attribute("aria-invalid") == "true"
    check_a11y(page, f"event form with a latitude off the earth ({lang})")
