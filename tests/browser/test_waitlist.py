"""A full event puts the next person on the waiting list; when someone cancels, the first person waiting
gets the seat at once: their own page says so and a mail with the calendar invitation reaches them."""

from __future__ import annotations

import pytest

from tests.browser import scene
from tests.browser.conftest import calendar_attachments, follow, registration_link, sign_up_in_browser

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

TITLE = "Small workshop: writing a need for the market"
SLUG = "small-workshop-need"


def test_a_full_event_waitlists_the_next_person_and_promotes_them_when_a_seat_frees(page, other_page, stack, shoot):
    stack.run(scene.add_event, SLUG, TITLE, capacity=1)

    # The first person gets the only seat.
    first_token = sign_up_in_browser(page, stack, SLUG, name="Lars Moe", email="lars.moe@example.org")
    assert "Your place is confirmed." in page.locator("main").inner_text()
    shoot(page, "first-confirmed")

    # The second person, in another browser, sees that the event is full and joins the waiting list.
    other = other_page
    other.goto(f"/events/{SLUG}")
    box = other.locator(".register-box")
    assert "The event is full." in box.inner_text()
    assert box.get_by_role("link", name="Join the waiting list").count() == 1
    shoot(other, "event-full")
    second_token = sign_up_in_browser(other, stack, SLUG, name="Siri Vik", email="siri.vik@example.org")
    main = other.locator("main")
    assert "You are on the waiting list." in main.inner_text()
    assert "You are number 1 in line." in main.inner_text()
    shoot(other, "second-waitlisted")
    (waiting_mail,) = stack.mails_to("siri.vik@example.org")
    assert waiting_mail["Subject"] == f"You are on the waiting list: {TITLE}"
    assert calendar_attachments(waiting_mail) == []  # no seat, no calendar entry

    # The first person cancels through the link in their mail.
    (first_mail,) = stack.mails_to("lars.moe@example.org")
    link = registration_link(first_mail, stack.base_url)
    assert link.endswith(first_token)
    page.goto(link)
    follow(page, page.get_by_role("link", name="Cancel my registration"))
    follow(page, page.get_by_role("button", name="Yes, cancel my registration"))
    assert page.url == link
    assert "This registration is cancelled." in page.locator("main").inner_text()
    shoot(page, "first-cancelled")

    # The seat went to the second person: their page says so, and a mail brings the invitation and a
    # link (a new one: only hashes of links are kept) that leads to the same registration.
    other.goto(f"/r/{second_token}")
    promoted_page = other.locator("main").inner_text()
    assert "Your place is confirmed." in promoted_page
    assert "You are on the waiting list." not in promoted_page
    shoot(other, "second-promoted")
    promoted = stack.mails_to("siri.vik@example.org", 2)[1]
    assert promoted["Subject"] == f"A seat opened up, and it is yours: {TITLE}"
    ((_, ics),) = calendar_attachments(promoted)
    assert b"METHOD:REQUEST" in ics
    other.goto(registration_link(promoted, stack.base_url))
    assert "Your place is confirmed." in other.locator("main").inner_text()
    assert "Siri Vik" in other.locator("main").inner_text()
