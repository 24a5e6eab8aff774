"""An attendee finds an event in the catalogue, signs up with the keyboard alone, gets the confirmation
mail with the calendar file and their link, opens the link and cancels (two steps). And a form sent
empty says what is wrong, next to each field, with the focus on the list of problems."""

from __future__ import annotations

import re

import pytest

from tests.browser import scene
from tests.browser.conftest import calendar_attachments, focused, follow, registration_link, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

TITLE = "Circular furniture for municipal offices"


@pytest.fixture(scope="module")
def event_slug(stack) -> str:
    stack.run(scene.add_event, "circular-furniture", TITLE, agenda=2, capacity=30)
    return "circular-furniture"


@pytest.mark.a11y_check("keyboard", "autocomplete")
def test_attendee_finds_signs_up_by_keyboard_gets_the_mail_and_cancels(page, other_page, stack, shoot, event_slug):
    email = "ingrid.solberg@example.org"

    # Find the event: the catalogue's search box.
    page.goto("/")
    shoot(page, "catalogue")
    search = page.get_by_role("searchbox", name="Search")
    search.fill("circular furniture")
    with page.expect_navigation():
        search.press("Enter")
    results = page.locator(".event-card")
    assert results.count() == 1
    assert TITLE in results.first.inner_text()
    shoot(page, "search-results")
    follow(page, results.first.get_by_role("link", name=TITLE))
    assert page.locator("h1").inner_text() == TITLE
    shoot(page, "event-page")
    follow(page, page.get_by_role("link", name="Sign up"))
    assert page.url.endswith(f"/events/{event_slug}/register")
    shoot(page, "form")

    # The form, with the keyboard alone: Tab, typing, Space, arrow keys and Enter.
    assert tab_to(page, "name")["autocomplete"] == "name"
    page.keyboard.type("Ingrid Solberg")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "email"
    assert focused(page)["autocomplete"] == "email"
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "organisation"
    assert focused(page)["autocomplete"] == "organization"
    page.keyboard.type("Bergen kommune")
    page.keyboard.press("Tab")
    assert (focused(page)["name"], focused(page)["type"]) == ("organisation_type", "radio")
    page.keyboard.press("Space")  # the first choice: municipality
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "country"
    # An English page suggests no country ("Choose a country" is selected): down to Norway, then Sweden.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "job_title"
    assert focused(page)["autocomplete"] == "organization-title"
    page.keyboard.type("Procurement adviser")
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "organisation_number"
    page.keyboard.press("Tab")  # the privacy statement, linked just above the consent box
    link = focused(page)
    assert (link["tag"], link["text"]) == ("a", "How we handle your personal data: read the privacy statement")
    page.keyboard.press("Tab")
    assert (focused(page)["name"], focused(page)["type"]) == ("accept_privacy", "checkbox")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    assert (focused(page)["tag"], focused(page)["text"]) == ("button", "Sign up")
    assert page.locator("#organisation_type-0").is_checked()
    assert page.locator("#country").input_value() == "SE"
    shoot(page, "form-filled")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The same answer for everyone ("check your inbox"): the form does not tell who is registered.
    assert page.url.endswith(f"/events/{event_slug}/register/sent"), page.url
    assert page.locator("h1").inner_text() == "Check your inbox"
    assert email in page.locator("main").inner_text()
    shoot(page, "check-your-inbox")

    # The confirmation mail: the person's link (to this server) and the calendar invitation.
    (mail,) = stack.mails_to(email)
    assert mail["Subject"] == f"You are registered: {TITLE}"
    link = registration_link(mail, stack.base_url)
    assert re.fullmatch(re.escape(stack.base_url) + r"/r/[A-Za-z0-9_-]+", link)
    ((filename, ics),) = calendar_attachments(mail)
    assert filename.endswith(".ics")
    assert b"METHOD:REQUEST" in ics
    assert f"SUMMARY:{TITLE}".encode() in ics

    # The link opens the registration in another browser (no cookies: the link is the key).
    mail_page = other_page
    mail_page.goto(link)
    main = mail_page.locator("main")
    assert "Your place is confirmed." in main.inner_text()
    assert "Ingrid Solberg" in main.inner_text()
    shoot(mail_page, "link-from-mail")

    # Cancelling takes two steps: the button leads to a question, and only its answer cancels.
    follow(mail_page, mail_page.get_by_role("link", name="Cancel my registration"))
    assert mail_page.locator("h1").inner_text() == "Cancel your registration?"
    shoot(mail_page, "cancel-question")
    follow(mail_page, mail_page.get_by_role("button", name="Yes, cancel my registration"))
    assert mail_page.url == link
    assert "This registration is cancelled." in mail_page.locator("main").inner_text()
    assert mail_page.get_by_role("link", name="Cancel my registration").count() == 0
    shoot(mail_page, "cancelled")
    cancelled = stack.mails_to(email, 2)[1]
    assert cancelled["Subject"] == f"Registration cancelled: {TITLE}"


@pytest.mark.a11y_check("error-focus")
def test_a_form_sent_empty_focuses_the_problems_and_links_each_to_its_field(page, shoot, event_slug):
    page.goto(f"/events/{event_slug}/register")
    tab_to(page, "accept_privacy")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # on "Sign up"

    # The list of problems has the focus (and is an alert, so it is read out), the first one first.
    summary = page.locator(".error-summary")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert summary.get_attribute("role") == "alert"
    assert summary.locator("h2").inner_text() == "There are 6 problems"  # the country too: none is suggested
    links = summary.get_by_role("link")
    assert links.first.get_attribute("href") == "#name"
    assert links.first.inner_text() == "Full name: Please enter your name."
    shoot(page, "errors")

    # Each field says what is wrong, and is linked to its message for screen readers.
    for name, message in [
        ("name", "Please enter your name."),
        ("email", "Please enter your email address."),
        ("organisation", "Please enter your organisation."),
    ]:
        field = page.locator(f"#{name}")
        assert field.get_attribute("aria-invalid") == "true"
        assert f"{name}-error" in (field.get_attribute("aria-describedby") or "").split()
        # (what a screen reader reads: "Error:" is hidden from the eye only)
        assert " ".join(page.locator(f"#{name}-error").text_content().split()) == f"Error: {message}"

    # The first link in the list takes the keyboard to the first field in error.
    page.keyboard.press("Tab")
    assert focused(page)["tag"] == "a"
    page.keyboard.press("Enter")
    assert focused(page)["name"] == "name"
