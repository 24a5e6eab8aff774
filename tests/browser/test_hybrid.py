"""In Chromium: a person signs up for a hybrid event on site. The event page and the form show the seats
left in each mode, the form will not guess the mode for them, the mail and their own page give the venue
and no join link; then they switch to online from their page and get the join link and an updated
invitation. Every state is axe-clean."""

from __future__ import annotations

import pytest

from tests.browser import scene
from tests.browser.conftest import calendar_attachments, follow, mail_text, registration_link

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

SLUG = "hybrid-network-meeting"
JOIN = "https://meet.example.org/hybrid-network-meeting"


@pytest.fixture(scope="module")
def hybrid_slug(stack) -> str:
    from eventapp.events.enums import EventFormat

    stack.run(scene.add_event, SLUG, "Welcome, curious municipalities", format=EventFormat.HYBRID, capacity=5,
              online_capacity=20, online_url=JOIN, venue_name="Stadshuset, sal Öresund",
              venue_address="Exempelgatan 3, 211 20 Malmö", city="Malmö")  # fmt: skip
    return SLUG


def test_a_person_signs_up_on_site_sees_the_venue_then_switches_online(page, stack, check_a11y, hybrid_slug):
    email = "malin.sjoberg@example.org"
    page.goto(f"/events/{hybrid_slug}")
    box = page.locator(".register-box").inner_text()
    assert "On site: 5 seats left." in box
    assert "Online: 20 places left." in box
    follow(page, page.get_by_role("link", name="Sign up"))

    # Everything but the mode: the form asks for it instead of choosing for the person.
    page.locator("#name").fill("Malin Sjöberg")
    page.locator("#email").fill(email)
    page.locator("#organisation").fill("Malmö stad")
    page.get_by_label("Municipality").check()
    page.locator("#country").select_option("SE")
    page.locator("#accept_privacy").check()
    assert page.locator("input[name=attendance]:checked").count() == 0
    follow(page, page.locator("main form.form button[type=submit]"))
    assert page.locator(".error-summary").count() == 1
    assert "Please choose whether you come on site or take part online." in page.locator("#attendance").inner_text()
    check_a11y(page, "hybrid sign-up without a mode")

    page.get_by_label("On site").check()
    follow(page, page.locator("main form.form button[type=submit]"))
    assert page.url.endswith(f"/events/{hybrid_slug}/register/sent")

    [confirmation] = stack.mails_to(email)
    text = mail_text(confirmation)
    assert "Where: Stadshuset, sal Öresund, Exempelgatan 3, 211 20 Malmö" in text
    assert JOIN not in text
    [(_name, invite)] = calendar_attachments(confirmation)
    assert JOIN.encode() not in invite
    assert b"Exempelgatan 3" in invite

    page.goto(registration_link(confirmation, stack.base_url))
    facts = page.locator("dl.facts").inner_text()
    assert "On site" in facts
    assert "Stadshuset, sal Öresund, Exempelgatan 3, 211 20 Malmö" in facts
    assert page.get_by_role("link", name="Join online").count() == 0
    assert "Online: 20 places left." in page.locator("section[aria-labelledby=switch-heading]").inner_text()
    check_a11y(page, "own page of a person on site, with the switch")

    follow(page, page.get_by_role("button", name="Take part online instead"))
    assert "Saved: you now take part online." in page.locator(".notice").first.inner_text()
    assert page.get_by_role("link", name="Join online").get_attribute("href") == JOIN
    assert "Stadshuset" not in page.locator("dl.facts").inner_text()
    check_a11y(page, "own page after switching online")

    update = stack.mails_to(email, count=2)[-1]
    assert update["Subject"] == "You now take part online: Welcome, curious municipalities"
    assert f"Join online: {JOIN}" in mail_text(update)
    [(_name, updated)] = calendar_attachments(update)
    assert b"SEQUENCE:1" in updated
    assert f"LOCATION:{JOIN}".encode() in updated
