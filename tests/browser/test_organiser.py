"""An organiser signs in, builds an event's agenda (a speaker, two slots) and sees it on the public page;
then approves an application to a dialogue meeting, and the applicant gets the approval mail."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.browser import scene
from tests.browser.conftest import calendar_attachments, follow, registration_link

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORGANISER = "marit.organiser@example.org"
WEBINAR = "Open data in procurement: a webinar"
DIALOGUE = "Buyer dialogue: electric ferries"


@pytest.fixture(scope="module")
def events(stack) -> dict[str, int]:
    webinar = stack.run(scene.add_event, "open-data-procurement", WEBINAR)
    dialogue = stack.run(scene.add_event, "buyer-dialogue-ferries", DIALOGUE, days=30, requires_approval=True)
    stack.run(scene.add_organiser, ORGANISER, name="Marit Organiser", owns=(webinar, dialogue))
    return {"webinar": webinar, "dialogue": dialogue}


def log_in(page) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(ORGANISER)
    page.get_by_label("Password").fill(scene.PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    assert page.url.endswith("/manage/"), page.url


def add_slot(page, title: str, *, minutes: int, speaker: str) -> None:
    """Fill the agenda's "Add a slot" form: it proposes to start where the agenda ends."""
    form = page.locator("section[aria-labelledby=add-item]")
    form.get_by_label("Title").fill(title)
    starts = datetime.fromisoformat(form.get_by_label("Starts").input_value())
    form.get_by_label("Ends").fill((starts + timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label(speaker).check()
    follow(page, form.get_by_role("button", name="Add to the agenda"))


def test_organiser_builds_an_agenda_that_the_public_page_shows(page, shoot, events):
    log_in(page)
    assert page.locator("h1").inner_text() == "Your events"
    shoot(page, "dashboard")
    follow(page, page.get_by_role("link", name=WEBINAR))
    follow(page, page.get_by_role("navigation", name="This event").get_by_role("link", name="Agenda"))
    assert "The agenda is empty." in page.locator("main").inner_text()
    shoot(page, "agenda-empty")

    speakers = page.locator("section[aria-labelledby=speakers]")
    speakers.get_by_label("Name").fill("Tone Fjeld")
    speakers.get_by_label("Job title").fill("Head of procurement")
    speakers.get_by_label("Organisation").fill("Eksempel fylkeskommune")
    follow(page, speakers.get_by_role("button", name="Add the speaker"))
    assert "Tone Fjeld, Head of procurement, Eksempel fylkeskommune" in speakers.inner_text()
    add_slot(page, "Why open data matters to buyers", minutes=30, speaker="Tone Fjeld")
    add_slot(page, "Publishing tender data: a county's story", minutes=45, speaker="Tone Fjeld")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2
    assert "Why open data matters to buyers" in rows.nth(0).inner_text()
    assert "Publishing tender data: a county's story" in rows.nth(1).inner_text()
    assert "Tone Fjeld" in rows.nth(1).inner_text()
    shoot(page, "agenda-built")

    follow(page, page.get_by_role("navigation", name="This event").get_by_role("link", name="Public page"))
    agenda = page.locator(".agenda__list")
    items = agenda.locator(".agenda__item")
    assert items.count() == 2
    assert "Why open data matters to buyers" in items.nth(0).inner_text()
    assert "Tone Fjeld" in items.nth(0).inner_text()
    assert "Publishing tender data: a county's story" in items.nth(1).inner_text()
    shoot(page, "public-page")


def test_organiser_approves_an_application_and_the_applicant_is_mailed(page, stack, shoot, events):
    email = "jon.applicant@example.org"
    stack.run(scene.sign_up, events["dialogue"], email, name="Jon Applicant", organisation="Eksempel havn")
    (received,) = stack.mails_to(email)
    assert received["Subject"] == f"We have received your registration: {DIALOGUE}"

    log_in(page)
    row = page.locator("tr", has=page.get_by_role("link", name=DIALOGUE))
    assert row.locator("td").nth(4).inner_text() == "1"  # awaiting approval
    follow(page, row.get_by_role("link", name="Registrations"))
    person = page.locator("tbody tr", has_text="Jon Applicant")
    assert "Awaiting approval" in person.inner_text()
    person.get_by_text("Act on Jon Applicant").click()
    shoot(page, "application")
    follow(page, person.get_by_role("button", name="Approve"))
    assert "Confirmed" in page.locator("tbody tr", has_text="Jon Applicant").inner_text()
    shoot(page, "approved")

    approved = stack.mails_to(email, 2)[1]
    assert approved["Subject"] == f"Your place is confirmed: {DIALOGUE}"
    ((_, ics),) = calendar_attachments(approved)
    assert b"METHOD:REQUEST" in ics
    page.goto(registration_link(approved, stack.base_url))
    assert "Your place is confirmed." in page.locator("main").inner_text()
