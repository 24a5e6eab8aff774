"""After the event the organiser adds the recording and a document on the Materials tab and publishes
them (a question first): the public event page shows the recording's player only when asked to (from
youtube-nocookie.com, allowed by the page's policy), and the document downloads as the same bytes; the
confirmed attendee gets the follow-up mail with the links, once, however often the materials are published."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests import sample_files
from tests.browser import scene
from tests.browser.conftest import Stack, follow, mail_text, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORGANISER = "hege.organiser@example.org"
ATTENDEE = "eva.lind@example.org"
SLUG = "procurement-and-the-sdgs"
TITLE = "Innovative procurement and the UN Sustainable Development Goals"
RECORDING = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
RECORDING_TITLE = "Recording of the webinar"
DOCUMENT_TITLE = "What the municipalities told us"
PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
PLAYER_PAGE = "<!doctype html><html lang=en><title>Player</title><p>A stand-in for the player (no internet here)."


@pytest.fixture(scope="module")
def event_id(stack: Stack) -> int:
    """A webinar that took place two days ago, with one confirmed attendee (who signed up while it was
    ahead) and its organiser."""
    event_id = stack.run(scene.add_event, SLUG, TITLE, days=7, agenda=2)
    stack.run(scene.sign_up, event_id, ATTENDEE, name="Eva Lind", organisation="Eksempel kommune")
    stack.run(scene.move_to_past, event_id, days=2)
    stack.run(scene.add_organiser, ORGANISER, name="Hege Organiser", owns=(event_id,))
    return event_id


def notice(page: Any) -> str:
    return page.locator(".notice[role=status]").inner_text()


def materials_mails(stack: Stack) -> list[Any]:
    return [m for m in stack.smtp.inbox.messages if ATTENDEE in str(m["To"]) and m["Subject"] == f"Materials: {TITLE}"]


@pytest.mark.a11y_check("axe-public")
def test_organiser_publishes_the_recording_and_a_document_and_attendees_get_them_once(
    page, other_page, stack, shoot, check_a11y, event_id, tmp_path
):
    # The Materials tab, empty.
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{event_id}/edit")
    follow(page, page.get_by_role("navigation", name="This event").get_by_role("link", name="Materials"))
    assert page.locator("h1").inner_text().startswith("Materials")
    assert "No materials yet." in page.locator("main").inner_text()
    shoot(page, "materials-empty")

    # The recording: a YouTube address.
    form = page.locator("section[aria-labelledby=add-link]")
    form.get_by_label("Recording", exact=True).check()
    form.get_by_label(re.compile(r"^Title")).fill(RECORDING_TITLE)
    form.get_by_label(re.compile(r"^Address")).fill(RECORDING)
    follow(page, form.get_by_role("button", name="Add"))
    assert notice(page) == "The material was added."

    # A document: a PDF.
    pdf = tmp_path / "SDG report.pdf"
    pdf.write_bytes(sample_files.pdf_bytes("What the municipalities told us"))
    form = page.locator("section[aria-labelledby=add-file]")
    form.get_by_label("Document", exact=True).check()
    form.get_by_label(re.compile(r"^File")).set_input_files(pdf)
    form.get_by_label(re.compile(r"^Title")).fill(DOCUMENT_TITLE)
    follow(page, form.get_by_role("button", name="Upload"))
    assert notice(page) == "The material was added."
    rows = page.locator("table.materials-table tbody tr:not(.materials-table__group)")
    assert rows.count() == 2
    assert RECORDING_TITLE in rows.nth(0).inner_text()
    assert f"{DOCUMENT_TITLE}" in rows.nth(1).inner_text()
    assert pdf.name in rows.nth(1).inner_text()
    assert "Yes, once the materials are published" in rows.nth(1).inner_text()
    shoot(page, "materials-added")

    # Publishing asks first, and says who gets the mail.
    follow(page, page.get_by_role("link", name="Publish the materials…"))
    assert page.locator("h1").inner_text() == "Publish the materials?"
    assert "1 confirmed attendee gets the follow-up mail with the links, once." in page.locator(".lead").inner_text()
    assert [li.inner_text() for li in page.locator("h2:text-is('What attendees will see') + ul > li").all()] == [
        f"Recording: {RECORDING_TITLE}",
        f"Document: {DOCUMENT_TITLE}",
    ]
    shoot(page, "publish-question")
    follow(page, page.get_by_role("button", name="Publish and send the mail"))
    assert notice(page) == "The materials are published. The follow-up mail is on its way to 1 confirmed attendee."
    shoot(page, "published")

    # The public event page, for anyone: the recording first, as a play button that loads nothing yet.
    player_requests: list[str] = []

    def stand_in_player(route: Any) -> None:
        player_requests.append(route.request.url)
        route.fulfill(status=200, content_type="text/html; charset=utf-8", body=PLAYER_PAGE)

    other_page.route(re.compile(r"^https://www\.youtube-nocookie\.com/"), stand_in_player)
    youtube: list[str] = []
    other_page.on("request", lambda request: youtube.append(request.url) if "youtube" in request.url else None)
    visitor = other_page
    visitor.goto(f"/events/{SLUG}")
    section = visitor.locator("section#materials")
    assert section.locator("h2").inner_text() == "Materials"
    assert section.locator("h3").all_inner_texts() == [RECORDING_TITLE, "Documents"]
    play = section.get_by_role("link", name="Play the recording (loads YouTube)")
    assert play.get_attribute("href") == RECORDING  # without JavaScript: the video on YouTube
    assert section.locator("iframe").count() == 0
    assert youtube == []  # nothing from YouTube until the visitor asks for it
    check_a11y(visitor, "the event page with its materials")
    shoot(visitor, "event-page-materials")

    with visitor.expect_request(re.compile(r"^https://www\.youtube-nocookie\.com/")):
        play.click()
    player = section.locator(".video-facade iframe")
    assert player.get_attribute("src") == f"{PLAYER}?autoplay=1"
    assert player.get_attribute("title") == RECORDING_TITLE
    assert player_requests == [f"{PLAYER}?autoplay=1"]  # the page's policy let the player load
    shoot(visitor, "player")

    # The document downloads as the same bytes, under its name.
    link = section.get_by_role("link", name=DOCUMENT_TITLE)
    assert "PDF" in section.locator(".materials__group li").inner_text()
    download = visitor.request.get(link.get_attribute("href"))
    assert download.status == 200
    assert download.body() == pdf.read_bytes()
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == f'inline; filename="{pdf.name}"'
    assert download.headers["x-content-type-options"] == "nosniff"

    # The confirmed attendee's follow-up mail: the recording and the document, each link leading to it.
    (mail,) = [m for m in stack.mails_to(ATTENDEE, 2) if m["Subject"] == f"Materials: {TITLE}"]
    text = mail_text(mail)
    assert RECORDING in text
    (file_link,) = re.findall(re.escape(stack.base_url) + r"/materials/\d+/\S+", text)
    assert visitor.request.get(file_link).body() == pdf.read_bytes()
    assert f"{stack.base_url}/events/{SLUG}#materials" in text

    # Publishing again (the button pressed twice, or hidden and published again) sends no second mail.
    page.go_back()
    assert page.locator("h1").inner_text() == "Publish the materials?"
    follow(page, page.get_by_role("button", name=re.compile(r"^Publish")))
    assert notice(page) == "The materials are published."
    follow(page, page.get_by_role("button", name="Hide the materials section"))
    assert notice(page) == "The materials section is hidden again. Publishing it again sends no second mail."
    assert visitor.goto(f"/events/{SLUG}").ok
    assert visitor.locator("section#materials").count() == 0
    follow(page, page.get_by_role("link", name="Publish the materials…"))
    assert "is not sent again" in page.locator(".lead").inner_text()
    follow(page, page.get_by_role("button", name="Publish the materials"))
    assert notice(page) == "The materials are published."
    assert "It is sent only once." in page.locator(".materials-status").inner_text()
    shoot(page, "published-again")
    visitor.reload()
    assert visitor.locator("section#materials").count() == 1

    kinds = stack.run(scene.outbox_kinds, ATTENDEE)  # waits until the worker has sent all of them
    assert kinds.count("materials_followup") == 1, kinds
    assert len(materials_mails(stack)) == 1
