"""The speaker portal (/speaker/<token>): the invitation mail and its link, times in the event's zone,
uploading, replacing and withdrawing slides through the real forms, the profile, and every bad input
(wrong kind, zip bomb, empty, too large, odd names, dead links) leaving nothing behind."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from eventapp import create_app
from eventapp.accounts import audit
from eventapp.accounts.models import AuditEntry, User
from eventapp.db import utcnow
from eventapp.errors import ValidationFailed
from eventapp.extensions import db
from eventapp.materials.models import Material, MaterialFile
from eventapp.materials.storage import storage_for
from eventapp.speakers import services
from eventapp.speakers.models import Speaker, SpeakerToken
from tests import sample_files
from tests.conftest import TEST_CONFIG, at
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of

#: A Thursday morning in Helsinki in winter (UTC+2): the agenda item runs 09:00–11:00 there, 07:00–09:00 UTC.
STARTS = at(2031, 1, 16, 9, 0, "Europe/Helsinki")


@dataclass(frozen=True)
class Scene:
    event_id: int
    slug: str
    speaker_id: int
    item_id: int
    owner_id: int
    token: str = ""

    @property
    def portal(self) -> str:
        return f"/speaker/{self.token}"

    @property
    def upload_url(self) -> str:
        return f"/speaker/{self.token}/items/{self.item_id}/slides"


@pytest.fixture
def scene(app, create_event, create_account) -> Scene:
    """A webinar in Helsinki with one agenda item and its speaker, invited by the event's owner."""
    owner = create_account("owner@example.org")
    event = create_event(agenda=1, speakers_per_item=1, timezone="Europe/Helsinki", starts_at=STARTS,
                         title="Innovative procurement and the SDGs", created_by_id=owner.id)  # fmt: skip
    with app.app_context():
        speaker = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id)).one()
        speaker_id, item_id = speaker.id, speaker.agenda_links[0].agenda_item_id
        token = services.invite(speaker_id, actor=db.session.get(User, owner.id))
    return Scene(event.id, event.slug, speaker_id, item_id, owner.id, token)


def stored(app) -> list[str]:
    """Every file kept in storage (by hash), and anything left in its temporary folder."""
    storage = storage_for(app)
    leftovers = [p.name for p in storage.tmp.iterdir()] if storage.tmp.exists() else []
    return sorted(storage.all_hashes()) + leftovers


def rows(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Material)),
            db.session.scalar(select(func.count()).select_from(MaterialFile)),
        )


def upload(client, scene: Scene, data: bytes, name: str, *, json: bool = False):
    """Send the portal's upload form as a browser does (multipart), or as upload.js does (JSON answer)."""
    page = client.get(scene.portal).get_data(as_text=True)
    return post_file(client, scene.upload_url, csrf_token(page), data, name, json=json)


def post_file(client, url: str, csrf: str, data: bytes, name: str, *, json: bool = False):
    """A multipart POST of one file, encoded in memory (the test client would spool a large body to a
    temporary file that an unread 413 body leaves open)."""
    file = FileStorage(io.BytesIO(data), filename=name, content_type="application/octet-stream")
    boundary, body = encode_multipart({"csrf_token": csrf, "file": file})
    headers = {"Accept": "application/json"} if json else {}
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}", headers=headers)


def field_error(html: str, item_id: int) -> str:
    """The message shown at the item's file field (empty when there is none)."""
    match = re.search(rf'<p class="field__error" id="file-{item_id}-error">(.*?)</p>', html, re.S)
    return text_of(match.group(1)).removeprefix("Error: ") if match else ""


# --- the invitation and the page it opens --------------------------------------------------------


def test_the_invitation_mail_has_the_link_and_the_page_shows_times_in_the_events_zone(
    app, mail_app, smtp_server, client, create_event, create_account, log_in
):
    create_account("owner@example.org")
    with app.app_context():
        owner_id = db.session.scalars(select(User.id)).one()
    event = create_event(agenda=1, speakers_per_item=1, timezone="Europe/Helsinki", starts_at=STARTS,
                         title="Innovative procurement and the SDGs", created_by_id=owner_id)  # fmt: skip
    with app.app_context():
        speaker = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id)).one()
        speaker_id, address = speaker.id, speaker.email
    log_in(client, "owner@example.org")
    page = client.get(f"/manage/events/{event.id}/speakers").get_data(as_text=True)

    sent = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/invite",
                       data={"csrf_token": csrf_token(page)})  # fmt: skip
    drain(mail_app)

    assert sent.status_code == 303
    [message] = smtp_server.inbox.messages
    assert message["To"].addresses[0].addr_spec == address
    assert message["Subject"] == "You are speaking at Innovative procurement and the SDGs: your speaker page"
    text = message.get_body(("plain",)).get_content()
    assert "09:00–11:00 Eastern European Standard Time: Agenda item 1" in text
    assert "Upload your slides before the event." in text
    assert "Owner has added you as a speaker" in text
    [link] = re.findall(r"http://eventapp\.test/speaker/[A-Za-z0-9_-]+", text)
    assert link in message.get_body(("html",)).get_content()

    client.post("/logout", data={"csrf_token": csrf_token(page)})
    portal = client.get(link.removeprefix("http://eventapp.test"))
    shown = text_of(portal.get_data(as_text=True))
    assert portal.status_code == 200
    assert "Hello, Speaker 1.1" in shown
    assert "Innovative procurement and the SDGs" in shown
    assert "When Thursday, 16 January 2031 09:00–11:00 Eastern European Standard Time" in shown
    assert "Agenda item 1 09:00–11:00 Eastern European Standard Time" in shown
    assert "No slides uploaded yet." in shown
    assert 'accept=".pdf,.pptx,.ppt,.odp,.key"' in portal.get_data(as_text=True)
    assert "at most 50 MB" in shown
    assert portal.headers["Cache-Control"] == "private, no-store"
    assert portal.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in portal.get_data(as_text=True)
    with app.app_context():
        invited = db.session.get(Speaker, speaker_id)
        assert invited.invited_at is not None
        assert invited.locale == "en"  # the event's language


def test_sending_the_link_again_makes_a_new_one_and_the_old_one_still_works(app, client, scene):
    with app.app_context():
        again = services.invite(scene.speaker_id, actor=db.session.get(User, scene.owner_id))

    assert again != scene.token
    assert client.get(scene.portal).status_code == 200
    assert client.get(f"/speaker/{again}").status_code == 200


def test_an_invitation_needs_an_address(app, scene):
    with app.app_context():
        db.session.execute(update(Speaker).values(email=""))
        db.session.commit()
        with pytest.raises(ValidationFailed) as refused:
            services.invite(scene.speaker_id, actor=db.session.get(User, scene.owner_id))
    assert (
        refused.value.message
        == "Speaker 1.1 has no email address. Add one to the speaker first, then send the invitation."
    )


# --- uploading, replacing, withdrawing ------------------------------------------------------------


def test_upload_replace_and_withdraw_through_the_portal(app, client, scene):
    first = upload(client, scene, sample_files.pdf_bytes("Versjon 1"), "Innlegg Helsinki.pdf")
    after_first = text_of(client.get(first.headers["Location"]).get_data(as_text=True))

    second = upload(client, scene, sample_files.pptx_bytes(), "Innlegg Helsinki v2.pptx")
    after_second = text_of(client.get(second.headers["Location"]).get_data(as_text=True))

    assert first.status_code == 303
    assert "Thank you! Your slides for “Agenda item 1” are uploaded." in after_first
    assert "Your slides Innlegg Helsinki.pdf" in after_first
    assert re.search(r"Size \d+ kB Uploaded \w+day, \d+ \w+ \d{4}, \d\d:\d\d", after_first)
    assert second.status_code == 303
    assert "Your slides Innlegg Helsinki v2.pptx" in after_second
    assert "Innlegg Helsinki.pdf" not in after_second
    assert "Upload the new version" in after_second
    assert rows(app) == (1, 2)  # both versions kept
    with app.app_context():
        versions = db.session.scalars(select(MaterialFile).order_by(MaterialFile.id)).all()
        assert [v.file_type for v in versions] == ["pdf", "pptx"]
        assert {v.uploaded_by_speaker_id for v in versions} == {scene.speaker_id}
        material_id = versions[0].material_id
    assert len(stored(app)) == 2

    confirm = client.get(f"{scene.portal}/slides/{material_id}/withdraw")
    assert confirm.status_code == 200
    assert "“Innlegg Helsinki v2.pptx” will no longer be shown for “Agenda item 1”." in text_of(
        confirm.get_data(as_text=True)
    )
    withdrawn = client.post(f"{scene.portal}/slides/{material_id}/withdraw",
                            data={"csrf_token": csrf_token(confirm.get_data(as_text=True))})  # fmt: skip
    after = text_of(client.get(withdrawn.headers["Location"]).get_data(as_text=True))

    assert withdrawn.status_code == 303
    assert "Your slides for “Agenda item 1” are withdrawn." in after
    assert "Innlegg Helsinki v2.pptx" not in after
    assert "You withdrew your slides for this item." in after
    assert rows(app) == (1, 2)  # the versions stay for the organisers
    assert len(stored(app)) == 2


def test_the_progress_script_gets_json_and_the_page_loads_it(app, client, scene):
    good = upload(client, scene, sample_files.pdf_bytes(), "a.pdf", json=True)
    bad = upload(client, scene, sample_files.executable_bytes(), "b.pdf", json=True)
    page = client.get(scene.portal).get_data(as_text=True)

    assert good.status_code == 200
    assert good.get_json()["location"].startswith(scene.portal + "?")
    assert bad.status_code == 400
    assert bad.get_json()["error"]["detail"].startswith("This file is not a kind we accept here.")
    assert re.search(r'<script src="/static/js/upload\.js\?v=\w+" defer></script>', page)
    assert "<script>" not in page  # no inline script (the CSP forbids it)
    assert 'data-msg-progress="Uploading: {percent} %"' in page
    assert f'data-max-bytes="{50 * 1024 * 1024}"' in page
    assert '<progress max="100" value="0"' in page
    assert 'role="status" aria-live="polite"' in page
    script = (Path(app.static_folder) / "js/upload.js").read_text()
    assert "XMLHttpRequest" in script
    assert 'setRequestHeader("Accept", "application/json")' in script


# --- bad input: a clear message at the field, and nothing kept --------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        pytest.param(sample_files.executable_bytes(), "slides.pdf",
                     "This file is not a kind we accept here. Please upload PDF, PowerPoint, OpenDocument, Keynote.",
                     id="executable-renamed-pdf"),
        pytest.param(sample_files.zip_bomb_pptx_bytes(), "slides.pptx",
                     "This file unpacks to far more than its size, so it cannot be accepted.", id="zip-bomb"),
        pytest.param(b"", "slides.pdf", "The file is empty. Please choose the file again.", id="empty"),
        pytest.param(sample_files.pdf_bytes()[:-40], "slides.pdf", "This PDF file is incomplete or damaged.",
                     id="damaged"),
    ],
)  # fmt: skip
def test_a_refused_file_gets_a_clear_message_and_leaves_nothing(app, client, scene, data, name, message):
    response = upload(client, scene, data, name)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert field_error(html, scene.item_id).startswith(message)
    assert "There is 1 problem" in text_of(html)
    assert 'aria-invalid="true"' in html
    assert rows(app) == (0, 0)
    assert stored(app) == []


def test_no_file_chosen(app, client, scene):
    page = client.get(scene.portal).get_data(as_text=True)
    response = client.post(scene.upload_url, data={"csrf_token": csrf_token(page)}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert field_error(response.get_data(as_text=True), scene.item_id) == "Please choose the file with your slides."
    assert rows(app) == (0, 0)


def test_one_byte_over_the_limit_is_refused_and_at_the_limit_kept(app, client, scene, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)  # restored after the test
    limit = 1024 * 1024
    pdf = sample_files.pdf_bytes()
    exactly = pdf[:-6] + b" " * (limit - len(pdf)) + pdf[-6:]

    over = upload(client, scene, exactly[:-6] + b" " + exactly[-6:], "big.pdf")

    assert over.status_code == 400
    assert field_error(over.get_data(as_text=True), scene.item_id).startswith(
        "The file is larger than 1 MB. Please make it smaller"
    )
    assert "at most 1 MB" in text_of(over.get_data(as_text=True))
    assert rows(app) == (0, 0)
    assert stored(app) == []
    assert upload(client, scene, exactly, "big.pdf").status_code == 303
    assert rows(app) == (1, 1)


def test_the_request_limit_is_the_upload_limit_plus_a_megabyte_for_the_form(tmp_path):
    app = create_app(
        {**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.sqlite'}", "MAX_UPLOAD_MB": 7}
    )

    with app.app_context():
        db.engine.dispose()
    assert app.config["MAX_CONTENT_LENGTH"] == 8 * 1024 * 1024


def test_a_body_over_the_request_limit_gets_413_naming_the_limit(app, client, scene, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_UPLOAD_MB", 1)
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    big = sample_files.pdf_bytes() + b" " * (3 * 1024 * 1024)

    page = upload(client, scene, big, "huge.pdf")
    json = upload(client, scene, big, "huge.pdf", json=True)

    assert page.status_code == 413
    assert field_error(page.get_data(as_text=True), scene.item_id).startswith("The file is larger than 1 MB.")
    assert "Hello, Speaker 1.1" in text_of(page.get_data(as_text=True))  # the speaker's own page, not a dead end
    assert page.headers["Cache-Control"] == "private, no-store"
    assert json.status_code == 413
    assert json.get_json()["error"]["detail"].startswith("The file is larger than 1 MB.")
    assert rows(app) == (0, 0)
    assert stored(app) == []


def test_a_path_as_file_name_is_cleaned_and_never_reaches_the_disk(app, client, scene):
    response = upload(client, scene, sample_files.pdf_bytes(), "../../etc/passwd")
    page = text_of(client.get(scene.portal).get_data(as_text=True))

    assert response.status_code == 303
    assert "Your slides passwd.pdf" in page
    root = Path(app.config["UPLOAD_FOLDER"])
    on_disk = [p for p in root.rglob("*") if p.is_file()]
    assert [p.name for p in on_disk] == stored(app)  # only content hashes
    assert all(re.fullmatch(r"[0-9a-f]{64}", p.name) for p in on_disk)
    assert not any("passwd" in str(p) or "etc" in p.parts for p in root.rglob("*"))
    with app.app_context():
        assert db.session.scalars(select(MaterialFile.original_name)).one() == "passwd.pdf"


def test_a_300_character_unicode_name_is_accepted_and_shortened(app, client, scene):
    name = "Презентация – " + "Innkjøp i Tromsø og Åland " * 11 + "ØÆÅ.pdf"
    name = name[:296] + ".pdf"
    assert len(name) == 300

    response = upload(client, scene, sample_files.pdf_bytes(), name)

    assert response.status_code == 303
    with app.app_context():
        kept = db.session.scalars(select(MaterialFile.original_name)).one()
    assert len(kept) <= 200
    assert kept.startswith("Презентация – Innkjøp i Tromsø og Åland")
    assert kept.endswith(".pdf")
    assert kept in text_of(client.get(scene.portal).get_data(as_text=True))
    assert all(
        re.fullmatch(r"[0-9a-f]{64}", p.name) for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()
    )


# --- dead links: a page that says what to do, and nothing written ------------------------------------


def expire_links(app) -> None:
    with app.app_context():
        db.session.execute(update(SpeakerToken).values(expires_at=utcnow() - timedelta(minutes=1)))
        db.session.commit()


def revoke_links(app, scene: Scene) -> None:
    with app.app_context():
        services.revoke_links(scene.speaker_id, actor=db.session.get(User, scene.owner_id))


@pytest.mark.parametrize(
    ("kill", "explanation"),
    [
        pytest.param(lambda app, scene: expire_links(app), "Speaker links stop working some weeks after the event",
                     id="expired"),
        pytest.param(revoke_links, "The organiser of “Innovative procurement and the SDGs” has switched this link off.",
                     id="revoked"),
    ],
)  # fmt: skip
def test_an_expired_or_revoked_link_gets_410_and_nothing_is_written(app, client, scene, kill, explanation):
    page = client.get(scene.portal).get_data(as_text=True)  # opened while it still worked
    token = csrf_token(page)
    kill(app, scene)

    shown = client.get(scene.portal)
    posted = client.post(scene.upload_url, data={"csrf_token": token,
                                                 "file": (io.BytesIO(sample_files.pdf_bytes()), "a.pdf")},
                         content_type="multipart/form-data")  # fmt: skip
    profile = client.post(f"{scene.portal}/profile", data={"csrf_token": token, "name": "Someone Else"})

    text = text_of(shown.get_data(as_text=True))
    assert shown.status_code == 410
    assert "This speaker link no longer works" in text
    assert explanation in text
    assert "If you need a new link, please contact the organiser. You can write to noreply@example.org." in text
    assert shown.headers["Cache-Control"] == "private, no-store"
    assert posted.status_code == 410
    assert profile.status_code == 410
    assert rows(app) == (0, 0)
    assert stored(app) == []
    with app.app_context():
        assert db.session.get(Speaker, scene.speaker_id).name == "Speaker 1.1"


@pytest.mark.parametrize("token", ["not-a-token", "A" * 32])
def test_an_unknown_link_gets_404_with_advice(client, scene, token):
    response = client.get(f"/speaker/{token}")

    assert response.status_code == 404
    assert "We could not find this link. It may have been copied incompletely from the email." in text_of(
        response.get_data(as_text=True)
    )


def test_a_link_opens_only_its_own_speakers_items_and_slides(app, client, scene, create_event):
    other = create_event(agenda=1, speakers_per_item=1)
    with app.app_context():
        other_speaker = db.session.scalars(select(Speaker).where(Speaker.event_id == other.id)).one()
        other_item = other_speaker.agenda_links[0].agenda_item_id
    upload(client, scene, sample_files.pdf_bytes(), "mine.pdf")
    with app.app_context():
        material_id = db.session.scalars(select(Material.id)).one()
        other_token = services.mint_link(db.session.get(Speaker, other_speaker.id), now=STARTS)
        db.session.commit()
    page = client.get(scene.portal).get_data(as_text=True)

    foreign_item = client.post(f"{scene.portal}/items/{other_item}/slides",
                               data={"csrf_token": csrf_token(page),
                                     "file": (io.BytesIO(sample_files.pdf_bytes("x")), "x.pdf")},
                               content_type="multipart/form-data")  # fmt: skip
    foreign_withdraw = client.get(f"/speaker/{other_token}/slides/{material_id}/withdraw")

    assert foreign_item.status_code == 404
    assert foreign_withdraw.status_code == 404
    assert rows(app) == (1, 1)


# --- the profile --------------------------------------------------------------------------------------


def test_the_speaker_corrects_how_the_agenda_shows_them(app, client, scene):
    page = client.get(scene.portal).get_data(as_text=True)

    response = client.post(f"{scene.portal}/profile", data={
        "csrf_token": csrf_token(page), "name": "Aino Virtanen", "job_title": "Hankinta-asiantuntija",
        "organisation": "Helsingin kaupunki", "bio": "Works on innovative procurement.\r\nLikes sauna."})  # fmt: skip
    event_page = text_of(client.get(f"/events/{scene.slug}").get_data(as_text=True))

    assert response.status_code == 303
    assert "Your details have been saved." in text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Aino Virtanen" in event_page
    assert "Hankinta-asiantuntija, Helsingin kaupunki" in event_page
    with app.app_context():
        speaker = db.session.get(Speaker, scene.speaker_id)
        assert speaker.bio == "Works on innovative procurement.\nLikes sauna."
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "speaker.profile_updated")).one()
        assert entry.actor_id is None
        assert (entry.summary, entry.actor_role.value) == ("", "speaker")
        assert "changed by the speaker Aino Virtanen: " in audit.describe(entry, {})


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"name": "  "}, "name", "Please enter your name as it should appear on the agenda."),
        ({"organisation": "K" * 201}, "organisation", "Field cannot be longer than 200 characters."),
    ],
)
def test_a_profile_with_a_problem_comes_back_with_the_input_kept(app, client, scene, fields, field, message):
    page = client.get(scene.portal).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "name": "Aino Virtanen", "job_title": "Rådgiver", "organisation": "",
            "bio": "", **fields}  # fmt: skip

    response = client.post(f"{scene.portal}/profile", data=data)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    error = re.search(rf'<p class="field__error" id="{field}-error">(.*?)</p>', html, re.S)
    assert error
    assert text_of(error.group(1)) == f"Error: {message}"
    assert 'value="Rådgiver"' in html
    with app.app_context():
        assert db.session.get(Speaker, scene.speaker_id).name == "Speaker 1.1"


def test_portal_posts_are_rate_limited(client, scene):
    page = client.get(scene.portal).get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "name": "Aino Virtanen"}

    statuses = [client.post(f"{scene.portal}/profile", data=data).status_code for _ in range(11)]

    assert statuses[:10] == [303] * 10
    assert statuses[10] == 429
