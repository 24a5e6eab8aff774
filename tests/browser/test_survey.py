"""The feedback survey, as the organiser and an attendee meet it: the organiser adds a survey with a 1-5
question and a free-text one on the Feedback survey tab; after the event the attendee who came gets the link
by mail (through the real worker and SMTP server), is told it is anonymous, answers with the keyboard, and
cannot answer twice; the organiser sees the answer in the results, with a chart and its table."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser import scene
from tests.browser.conftest import Stack, follow, mail_text, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORGANISER = "tone.survey@example.org"
ATTENDEE = "mikko.virtanen@example.org"
SLUG = "survey-journey-webinar"
TITLE = "Buying zero-emission transport: a webinar"


@pytest.fixture(scope="module")
def event_id(stack: Stack) -> int:
    event_id = stack.run(scene.add_event, SLUG, TITLE, days=3, agenda=1)
    stack.run(scene.sign_up, event_id, ATTENDEE, name="Mikko Virtanen", organisation="Esimerkki kunta")
    stack.run(scene.add_organiser, ORGANISER, name="Tone Survey", owns=(event_id,))
    return event_id


def status_text(page: Any) -> str:
    return page.locator("main .notice[role=status]").first.inner_text()


@pytest.mark.a11y_check("axe-back-office", "axe-forms", "axe-public")
def test_organiser_adds_a_survey_and_the_attendee_who_came_answers_it_once(
    page, other_page, stack, shoot, check_a11y, event_id
):
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{event_id}/edit")
    follow(page, page.get_by_role("navigation", name="This event").get_by_role("link", name="Feedback survey"))
    check_a11y(page, "survey, none yet")
    page.get_by_label(re.compile("^Anonymous")).check()
    follow(page, page.get_by_role("button", name="Add a survey to this event"))
    assert status_text(page) == "The survey has been saved."
    form = page.locator("section[aria-labelledby=questions] form.form")
    follow(page, form.get_by_role("button", name="Add the question"))  # empty: an error at the field
    assert page.locator(".error-summary").count() == 1
    check_a11y(page, "survey question errors")
    form = page.locator("section[aria-labelledby=questions] form.form")
    form.get_by_label(re.compile("^Question")).fill("How useful was the webinar?")
    form.get_by_label("A scale from 1 to 5").check()
    form.get_by_label("An answer is required").check()
    follow(page, form.get_by_role("button", name="Add the question"))
    form = page.locator("section[aria-labelledby=questions] form.form")
    form.get_by_label(re.compile("^Question")).fill("What should we do differently?")
    form.get_by_label("Long text").check()
    follow(page, form.get_by_role("button", name="Add the question"))
    assert page.locator("table tbody tr").count() == 2
    check_a11y(page, "survey with two questions")
    shoot(page, "survey-organiser")

    # The event takes place; a day later the worker's chore sends the link to the one who came.
    stack.run(scene.move_to_past, event_id, days=1)
    invited, _reminded = stack.run(scene.send_survey_links, days_later=0.2)
    assert invited >= 1  # Mikko (and whoever else came to another ended event of this browser run)
    [mail] = [m for m in stack.mails_to(ATTENDEE, 2) if m["Subject"].startswith("What did you think")]
    link = re.search(re.escape(stack.base_url) + r"/r/[A-Za-z0-9_-]+/survey", mail_text(mail))
    assert link, mail_text(mail)

    attendee = other_page
    attendee.goto(link.group(0))
    assert "This survey is anonymous." in attendee.locator("main").inner_text()
    check_a11y(attendee, "survey to answer")
    follow(attendee, attendee.get_by_role("button", name="Send my answers"))  # the 1-5 one is required
    assert attendee.locator(".error-summary").count() == 1
    check_a11y(attendee, "survey with errors")
    shoot(attendee, "survey-errors")
    # With the keyboard: the first radio button of the scale, then arrow keys move along it.
    attendee.locator("input[type=radio]").first.focus()
    attendee.keyboard.press("ArrowRight")
    attendee.keyboard.press("ArrowRight")
    attendee.keyboard.press("ArrowRight")
    attendee.locator("textarea").fill("More time for questions.")
    with attendee.expect_navigation():
        attendee.locator("textarea").focus()
        attendee.keyboard.press("Tab")
        attendee.keyboard.press("Enter")
    assert status_text(attendee) == "Thank you! Your answers have been received."
    check_a11y(attendee, "survey thanks")
    attendee.goto(link.group(0))
    assert "You have already answered this survey." in attendee.locator("main").inner_text()

    page.goto(f"/manage/events/{event_id}/survey/results")
    main = page.locator("main").inner_text()
    assert "Average: 4.0" in main
    assert "More time for questions." in main
    assert page.locator("svg[role=img]").count() == 1
    check_a11y(page, "survey results")
    shoot(page, "survey-results")
