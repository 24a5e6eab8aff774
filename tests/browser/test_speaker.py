"""A speaker uploads their slides from the link in the invitation mail, on a phone, with no account: the
organiser invites them on the event's Speakers tab, the link opens the speaker's page with their talk and
its time, a PDF goes up with the progress bar, a PowerPoint replaces it, and a program renamed .pdf is
refused with a clear message and nothing kept. Back in the back office the slides show as uploaded."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests import sample_files
from tests.browser import scene
from tests.browser.conftest import Console, Stack, follow, mail_text, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORGANISER = "sigrid.organiser@example.org"
TITLE = "Open tender data: a webinar for county buyers"
TALK = "Publishing tender data: a county's story"
SPEAKER = "Tone Fjeld"
SPEAKER_EMAIL = "tone.fjeld@example.org"
OTHER_TALK = "Questions and answers"
OTHER_SPEAKER = "Lars Eng"
#: The speaker's phone (CSS pixels).
PHONE = {"width": 390, "height": 844}
REFUSED = "This file is not a kind we accept here. Please upload PDF, PowerPoint, OpenDocument, Keynote."

#: Reports each change of an upload form's status line (the text, whether the progress bar shows, and
#: its value) to ``uploadStatus`` in the test, since the page is gone by the time the upload is done.
WATCH_STATUS = """form => {
    const status = form.querySelector('.upload-status');
    const box = form.querySelector('.upload-progress');
    new MutationObserver(() => window.uploadStatus({
        text: status.textContent, shown: !box.hidden, value: box.querySelector('progress').value,
    })).observe(status, {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture(scope="module")
def talk(stack: Stack) -> dict[str, int]:
    """A webinar three weeks ahead with one talk, whose speaker has an address but no link yet."""
    event_id = stack.run(scene.add_event, "open-tender-data", TITLE, days=21)
    item_id, speaker_id = stack.run(
        scene.add_talk, event_id, TALK, speaker=SPEAKER, email=SPEAKER_EMAIL, job_title="Head of procurement",
        organisation="Eksempel fylkeskommune", minutes=40,
    )  # fmt: skip
    other_item, other_speaker = stack.run(
        scene.add_talk, event_id, OTHER_TALK, speaker=OTHER_SPEAKER, email="lars.eng@example.org", minutes=20
    )
    stack.run(scene.add_organiser, ORGANISER, name="Sigrid Organiser", owns=(event_id,))
    return {"event": event_id, "item": item_id, "speaker": speaker_id, "other_item": other_item,
            "other_speaker": other_speaker}  # fmt: skip


def watch_uploads(page: Any) -> list[dict[str, Any]]:
    """The list the page's upload forms report their status changes to (see ``choose_and_send``)."""
    statuses: list[dict[str, Any]] = []
    page.expose_function("uploadStatus", lambda status: statuses.append(status))
    return statuses


@pytest.fixture
def phone(browser: Any, stack: Stack) -> Iterator[tuple[Any, list[dict[str, Any]]]]:
    """The speaker's phone: a browser of its own (no account, no cookies), 390 px wide, checked for CSP
    refusals and script errors like ``page``; with the upload status changes the page reported."""
    ctx = browser.new_context(base_url=stack.base_url, viewport=PHONE, locale="en-GB", is_mobile=True, has_touch=True)
    ctx.set_default_timeout(15_000)
    console = Console()
    tab = ctx.new_page()
    console.listen(tab)
    statuses = watch_uploads(tab)
    yield tab, statuses
    ctx.close()
    assert not console.failures, "the browser console reported:\n" + "\n".join(console.failures)


def choose_and_send(page: Any, form: Any, label: str, path: Path) -> Any:
    """Choose the file in the upload form's field labelled ``label`` and press the form's button; returns
    the answer to the upload (the progress script's request)."""
    form.evaluate(WATCH_STATUS)
    form.get_by_label(label).set_input_files(path)
    with page.expect_response(lambda r: r.request.method == "POST" and r.url.endswith("/slides")) as answer:
        form.locator("button[type=submit]").click()
    return answer.value


def upload(page: Any, form: Any, statuses: list[dict[str, Any]], label: str, path: Path) -> None:
    """Upload a file that is accepted: the progress bar runs to the end, then the page loads anew (a "load"
    event: a jump to a #fragment of the page already shown would not do)."""
    statuses.clear()
    with page.expect_event("load"):
        response = choose_and_send(page, form, label, path)
    assert response.status == 200, response.text()
    assert response.request.headers["accept"] == "application/json"  # sent by the script, not as a plain form
    assert statuses[0] == {"text": "Uploading: 0 %", "shown": True, "value": 0}, statuses
    assert {"text": "Uploaded. Checking the file…", "shown": True, "value": 100} in statuses, statuses


def stored_files(stack: Stack) -> set[Path]:
    return {path for path in Path(stack.app.config["UPLOAD_FOLDER"]).rglob("*") if path.is_file()}


@pytest.mark.a11y_check("axe-public", "axe-forms")
def test_speaker_uploads_slides_from_the_emailed_link_on_a_phone(page, phone, stack, shoot, check_a11y, talk, tmp_path):
    # The organiser invites the speaker from the Speakers tab.
    sign_in(page, ORGANISER)
    follow(page, page.get_by_role("link", name=TITLE))
    follow(page, page.get_by_role("navigation", name="This event").get_by_role("link", name="Speakers"))
    row = page.locator(f"#speaker-{talk['speaker']}")
    assert "Not invited" in row.inner_text()
    assert "✗ No slides yet" in row.inner_text()
    shoot(page, "speakers-tab")
    follow(page, row.get_by_role("button", name=f"Invite {SPEAKER}"))
    notice = page.locator(".notice[role=status]").inner_text()
    assert notice == f"The link is on its way to {SPEAKER} ({SPEAKER_EMAIL})."
    assert "Invited " in page.locator(f"#speaker-{talk['speaker']}").inner_text()
    shoot(page, "speaker-invited")

    # The mail holds the speaker's personal link to this server.
    (mail,) = stack.mails_to(SPEAKER_EMAIL)
    assert mail["Subject"] == f"You are speaking at {TITLE}: your speaker page"
    links = re.findall(re.escape(stack.base_url) + r"/speaker/[A-Za-z0-9_-]+", mail_text(mail))
    assert links, mail_text(mail)

    # On the phone, the link opens the speaker's page: their talk, at its time in the event's zone.
    speaker, statuses = phone
    speaker.goto(links[0])
    assert speaker.locator("h1").inner_text() == f"Hello, {SPEAKER}"
    item = speaker.locator(f"#item-{talk['item']}")
    assert item.locator("h3").inner_text() == TALK
    starts, ends = (t.astimezone(ZoneInfo("Europe/Oslo")) for t in stack.run(scene.agenda_item_times, talk["item"]))
    assert item.locator(".agenda__time").inner_text().startswith(f"{starts:%H:%M}–{ends:%H:%M} ")
    assert "No slides uploaded yet." in item.inner_text()
    check_a11y(speaker, "the speaker's page")
    shoot(speaker, "portal")

    # A PDF goes up, with the progress bar, and the page names it.
    pdf = tmp_path / "Tender data in Bodø.pdf"
    pdf.write_bytes(sample_files.pdf_bytes("Tender data"))
    upload(speaker, item.locator("form[data-upload]"), statuses, "Slides file", pdf)
    assert speaker.locator(".notice[role=status]").inner_text() == f"Thank you! Your slides for “{TALK}” are uploaded."
    assert item.locator(".slides-file__name").inner_text() == pdf.name
    shoot(speaker, "pdf-uploaded")

    # A PowerPoint replaces it.
    pptx = tmp_path / "Tender data in Bodø, final.pptx"
    pptx.write_bytes(sample_files.pptx_bytes("Tender data"))
    upload(speaker, item.locator("form[data-upload]"), statuses, "Replace with a new file", pptx)
    assert speaker.locator(".notice[role=status]").inner_text() == f"Thank you! Your slides for “{TALK}” are uploaded."
    assert item.locator(".slides-file__name").inner_text() == pptx.name
    assert pdf.name not in item.inner_text()
    shoot(speaker, "pptx-uploaded")

    # A program renamed .pdf is refused: the message is at the field, and nothing is kept.
    before = stored_files(stack)
    program = tmp_path / "slides.pdf"
    program.write_bytes(sample_files.executable_bytes())
    response = choose_and_send(speaker, item.locator("form[data-upload]"), "Replace with a new file", program)
    assert response.status == 400
    error = speaker.locator(f"#file-{talk['item']}-error")
    error.wait_for()
    assert " ".join(error.text_content().split()) == f"Error: {REFUSED}"
    field = speaker.locator(f"#file-{talk['item']}")
    assert field.get_attribute("aria-invalid") == "true"
    assert f"file-{talk['item']}-error" in (field.get_attribute("aria-describedby") or "").split()
    assert item.locator(".upload-status").inner_text() == REFUSED  # read out (role=status)
    assert item.locator(".upload-progress").is_hidden()
    assert item.locator("form[data-upload] button[type=submit]").is_enabled()  # ready to try again
    check_a11y(speaker, "the speaker's page after a refused file")
    shoot(speaker, "refused")
    assert stored_files(stack) == before
    assert stack.run(scene.slide_files, talk["speaker"]) == [pdf.name, pptx.name]
    speaker.reload()
    assert item.locator(".slides-file__name").inner_text() == pptx.name

    # The organiser sees the slides as uploaded: the PowerPoint, in its second version.
    page.reload()
    row = page.locator(f"#speaker-{talk['speaker']}")
    slides = row.locator(".speaker-slides li").inner_text()
    assert "✓ Slides uploaded" in slides
    assert f": {pptx.name} (" in slides
    assert "2 versions" in slides
    assert page.get_by_role("button", name=re.compile(r"^Remind")).count() == 0  # nobody is missing slides
    shoot(page, "speakers-tab-uploaded")


def test_organiser_uploads_slides_on_a_speakers_behalf_with_the_progress_bar(page, stack, shoot, talk, tmp_path):
    """The back office's upload uses the same progress script: a refused file gets its own message at the
    field, an accepted one leads back to the list that says so."""
    statuses = watch_uploads(page)
    sign_in(page, ORGANISER)
    page.goto(f"/manage/events/{talk['event']}/speakers")
    row = page.locator(f"#speaker-{talk['other_speaker']}")
    row.get_by_text("Upload on their behalf").click()
    form = row.locator("form[data-upload]")

    program = tmp_path / "answers.pdf"
    program.write_bytes(sample_files.executable_bytes())
    response = choose_and_send(page, form, "Slides file", program)
    assert response.status == 400
    error = page.locator(f"#file-{talk['other_speaker']}-{talk['other_item']}-error")
    error.wait_for()
    assert " ".join(error.text_content().split()) == f"Error: {REFUSED}"
    shoot(page, "refused")
    assert stack.run(scene.slide_files, talk["other_speaker"]) == []

    pdf = tmp_path / "Questions and answers.pdf"
    pdf.write_bytes(sample_files.pdf_bytes("Q and A"))
    upload(page, form, statuses, "Slides file", pdf)
    assert page.locator(".notice[role=status]").inner_text() == f"The slides for {OTHER_SPEAKER} are uploaded."
    slides = page.locator(f"#speaker-{talk['other_speaker']} .speaker-slides li").inner_text()
    assert f"✓ Slides uploaded: {pdf.name} (" in slides
    shoot(page, "uploaded")
