"""Issue 16's journey in Chromium, on the live server with its worker and the real SMTP server: a webinar of
ten talks. Ten speakers upload their slides from the links they were mailed, through the browser's file
chooser; the decks show next to each talk on the public event page; the organiser publishes the materials
and each attendee gets one mail (with the survey's link for those who came); two decks that arrive late make
exactly one "new materials" mail the next day (to the attendees and the programme's interest list); two
attendees answer the survey in the browser, and the results page draws its charts."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest

from tests import sample_files
from tests.browser import scene
from tests.browser import ten_speakers_scene as ten
from tests.browser.conftest import Stack, follow, mail_text, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORGANISER = "randi.ten@example.org"
SLUG = "ten-speakers-sdg-webinar"
TITLE = "Innovative procurement and the SDGs: ten voices"
CAME = ("aino.came@example.org", "bjorn.came@example.org")
ABSENT = "carl.absent@example.org"
FOLLOWER = "frida.follows@example.org"


@pytest.fixture(scope="module")
def webinar(stack: Stack) -> dict[str, Any]:
    owner_id = stack.run(scene.add_organiser, ORGANISER, name="Randi Ten")
    made = stack.run(ten.webinar, SLUG, TITLE, owner_id=owner_id)
    for email in (*CAME, ABSENT):
        stack.run(scene.sign_up, made["id"], email)
    stack.run(scene.add_survey, made["id"], actor_id=owner_id)
    stack.run(scene.add_subscriber, made["programme_id"], FOLLOWER, name="Frida Follows")  # nynorsk mail
    return made


def speaker_link(stack: Stack, index: int) -> str:
    [mail] = stack.mails_to(ten.speaker_email(index))
    found = re.findall(re.escape(stack.base_url) + r"/speaker/[A-Za-z0-9_-]+", mail_text(mail))
    assert found, mail_text(mail)
    return found[0]


def upload_from_link(speaker: Any, stack: Stack, webinar: dict[str, Any], index: int, folder: Path) -> str:
    """Speaker ``index`` opens the link of their mail and chooses their deck in the browser's file chooser.
    Returns the file's name."""
    item_id, _speaker_id = webinar["talks"][index]
    name, organisation = ten.SPEAKERS[index]
    deck = folder / f"Webinar – {organisation}.pdf"
    deck.write_bytes(sample_files.pdf_bytes(f"{name}, {organisation}"))
    speaker.goto(speaker_link(stack, index))
    assert speaker.locator("h1").inner_text() == f"Hello, {name}"
    form = speaker.locator(f"#item-{item_id} form[data-upload]")
    with speaker.expect_file_chooser() as chooser:
        form.get_by_label("Slides file").click()
    chooser.value.set_files(deck)
    with speaker.expect_event("load"):
        form.locator("button[type=submit]").click()
    notice = speaker.locator(".notice[role=status]").inner_text()
    assert notice == f"Thank you! Your slides for “Webinar – {organisation}” are uploaded."
    return deck.name


def subject_mails(stack: Stack, address: str, prefix: str) -> list[Any]:
    """The mails to ``address`` whose subject starts with ``prefix``, once there is one (the worker polls)."""
    deadline = time.monotonic() + stack.mail_timeout
    while True:
        found = [m for m in stack.mails_to(address) if str(m["Subject"]).startswith(prefix)]
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


@pytest.mark.a11y_check("axe-public", "axe-forms", "axe-back-office")
def test_ten_speakers_upload_materials_go_out_late_decks_make_one_mail_and_the_survey_is_answered(
    page, other_page, stack, shoot, check_a11y, webinar, tmp_path
):
    speaker = other_page
    # Eight speakers upload before the webinar, each from their own mailed link.
    names = [upload_from_link(speaker, stack, webinar, index, tmp_path) for index in range(8)]
    check_a11y(speaker, "the speaker's page with an uploaded deck")
    public = speaker.context.new_page()
    public.goto(f"/events/{SLUG}")
    assert public.locator(".agenda__slides").count() == 0  # they publish with the materials

    # The webinar takes place; two of the three come. The organiser publishes the materials.
    stack.run(scene.move_to_past, webinar["id"], days=1)
    stack.run(ten.check_in, webinar["id"], CAME)
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{webinar['id']}/materials")
    follow(page, page.get_by_role("link", name="Publish the materials…"))
    assert page.locator("h1").inner_text() == "Publish the materials?"
    assert "Webinar – Kommunenes Sentralforbund" in page.locator("main").inner_text()  # what becomes visible
    check_a11y(page, "the publishing preview with ten speakers")
    follow(page, page.get_by_role("button", name="Publish and send the mail"))
    assert "The follow-up mail is on its way to 3 confirmed attendees." in page.locator("main").inner_text()
    shoot(page, "published")

    followups = {email: subject_mails(stack, email, "Materials: ") for email in (*CAME, ABSENT)}
    assert all(len(mails) == 1 for mails in followups.values())  # one mail per attendee
    survey_links = {email: re.findall(re.escape(stack.base_url) + r"/r/[A-Za-z0-9_-]+/survey", mail_text(mails[0]))
                    for email, mails in followups.items()}  # fmt: skip
    assert [bool(survey_links[email]) for email in (*CAME, ABSENT)] == [True, True, False]  # those who came

    # The slides now show next to each talk, with the speaker's name.
    public.goto(f"/events/{SLUG}")
    talks = public.locator(".agenda__item", has=public.locator(".agenda__slides"))
    assert talks.count() == 8
    for index in range(8):
        name, organisation = ten.SPEAKERS[index]
        item = public.locator(".agenda__item", has_text=f"Webinar – {organisation}")
        slides = item.locator(".agenda__slides").inner_text()
        assert "Slides" in slides
        assert f"– {name}" in slides
    check_a11y(public, "the event page with eight decks")
    shoot(public, "event-page-eight-decks")

    # Two decks arrive late, the same day: nothing today; the next day one "new materials" mail each.
    names += [upload_from_link(speaker, stack, webinar, index, tmp_path) for index in (8, 9)]
    assert stack.run(ten.send_material_news, days_later=0) == 0
    assert stack.run(ten.send_material_news, days_later=1) >= 4  # three attendees, Frida (and other followers)
    assert stack.run(ten.send_material_news, days_later=1.1) == 0
    for email in (*CAME, ABSENT):
        [late] = subject_mails(stack, email, "New materials")
        body = mail_text(late)
        assert "Webinar – Tromsø kommune" in body
        assert "Webinar – Innovasjon Norge" in body
        assert "Webinar – Bergen kommune" not in body  # in the follow-up mail already
        assert stack.run(ten.news_kinds, email) == ["new_materials"]
    [listed] = subject_mails(stack, FOLLOWER, "Nytt materiale")
    assert listed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Webinar – Innovasjon Norge" in mail_text(listed)
    assert stack.run(ten.news_kinds, FOLLOWER) == ["interest_new_materials"]
    public.reload()
    assert public.locator(".agenda__slides").count() == 10

    # The two who came answer the survey from their mailed links.
    for email, scale, words in ((CAME[0], "4", "Good examples."), (CAME[1], "5", "More time for questions.")):
        person = speaker.context.new_page()
        person.goto(survey_links[email][0])
        assert "This survey is anonymous." in person.locator("main").inner_text()
        person.get_by_role("group", name=re.compile("How useful was the event")).get_by_label(scale, exact=True).check()
        person.get_by_role("group", name=re.compile("Would you recommend")).get_by_label("9", exact=True).check()
        person.get_by_label(re.compile("^Anything else")).fill(words)
        follow(person, person.get_by_role("button", name="Send my answers"))
        assert person.locator(".notice[role=status]").inner_text() == "Thank you! Your answers have been received."
        person.close()

    page.goto(f"/manage/events/{webinar['id']}/survey/results")
    main = page.locator("main").inner_text()
    assert re.search(r"Answers\s+2\b", main), main
    assert "Average: 4.5" in main
    assert "More time for questions." in main
    assert page.locator("svg[role=img]").count() >= 2  # the 1-5 scale and would recommend, at least
    check_a11y(page, "the results of the ten-speaker webinar's survey")
    shoot(page, "survey-results")
