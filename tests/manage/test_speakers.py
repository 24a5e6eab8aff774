"""The back office's speakers page: upload status per agenda item, links, reminders to those whose slides
are missing, uploads on a speaker's behalf, correcting a speaker, and who may do it."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.materials import uploads
from eventapp.materials.models import MaterialFile
from eventapp.materials.storage import storage_for
from eventapp.speakers import services, slides
from eventapp.speakers.models import Speaker
from tests import sample_files
from tests.registrations.conftest import csrf_token, text_of
from tests.speakers.test_portal import post_file


@pytest.fixture
def owner(create_account):
    return create_account("owner@example.org")


def speakers_of(app, event_id: int) -> list[tuple[int, int]]:
    """(speaker id, agenda item id) of each speaker, in agenda order."""
    with app.app_context():
        found = db.session.scalars(select(Speaker).where(Speaker.event_id == event_id).order_by(Speaker.id)).all()
        return [(s.id, s.agenda_links[0].agenda_item_id) for s in found]


def invite(app, owner, speaker_id: int) -> str:
    with app.app_context():
        return services.invite(speaker_id, actor=db.session.get(User, owner.id))


def upload_as_speaker(app, speaker: tuple[int, int], data: bytes, name: str) -> None:
    with app.app_context():
        slides.upload_slides(*speaker, uploads.Upload(io.BytesIO(data), name))


def page_of(client, event_id: int) -> str:
    response = client.get(f"/manage/events/{event_id}/speakers")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def row_text(html: str, speaker_id: int) -> str:
    match = re.search(rf'<tr id="speaker-{speaker_id}">(.*?)</tr>', html, re.S)
    assert match, f"no row for speaker {speaker_id}"
    return text_of(match.group(1))


def test_the_list_shows_who_has_uploaded_what(app, client, create_event, owner, log_in):
    event = create_event(agenda=3, speakers_per_item=1, created_by_id=owner.id)
    first, second, third = speakers_of(app, event.id)
    invite(app, owner, first[0])
    invite(app, owner, second[0])
    upload_as_speaker(app, first, sample_files.pdf_bytes("1"), "Bergen.pdf")
    upload_as_speaker(app, first, sample_files.pptx_bytes(), "Bergen v2.pptx")
    log_in(client, "owner@example.org")

    html = page_of(client, event.id)

    uploaded = row_text(html, first[0])
    assert "Speaker 1.1" in uploaded
    assert "speaker1-1@example.org" in uploaded
    assert re.search(r"Invited \d+ \w+ \d{4}, \d\d:\d\d", uploaded)
    assert re.search(r"✓ Slides uploaded: Bergen v2\.pptx \(\d+ kB\), 2 versions, last \d+ \w+ \d{4}, \d\d:\d\d",
                     uploaded)  # fmt: skip
    assert "Send the link again" in uploaded
    assert "Revoke the links" in uploaded
    assert "✗ No slides yet" in row_text(html, second[0])
    assert "Not invited" in row_text(html, third[0])
    assert "Invite Speaker 3.1" in row_text(html, third[0])
    assert "Revoke the links" not in row_text(html, third[0])
    assert "Remind the 1 speaker who has not uploaded" in text_of(html)  # only the invited one still missing
    assert 'aria-current="page">Speakers</a>' in html  # the tab


def test_the_list_takes_the_same_number_of_queries_for_one_or_three_speakers(
    app, client, create_event, owner, log_in, count_queries
):
    small = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    large = create_event(agenda=3, speakers_per_item=1, created_by_id=owner.id)
    for event in (small, large):
        for speaker in speakers_of(app, event.id):
            invite(app, owner, speaker[0])
            upload_as_speaker(app, speaker, sample_files.pdf_bytes(), "a.pdf")
            upload_as_speaker(app, speaker, sample_files.pdf_bytes("2"), "b.pdf")
    log_in(client, "owner@example.org")
    page_of(client, small.id)  # warm up: the session's user

    with count_queries() as one:
        page_of(client, small.id)
    with count_queries() as three:
        html = page_of(client, large.id)

    assert html.count("✓ Slides uploaded") == 3
    assert one.count == three.count, (one.statements, three.statements)


def test_remind_mails_only_invited_speakers_still_missing_slides(app, client, create_event, owner, log_in):
    event = create_event(agenda=4, speakers_per_item=1, created_by_id=owner.id, title="Zero-emission deliveries")
    done, missing, revoked, _never_invited = speakers_of(app, event.id)
    for speaker in (done, missing, revoked):
        invite(app, owner, speaker[0])
    upload_as_speaker(app, done, sample_files.pdf_bytes(), "done.pdf")
    with app.app_context():
        services.revoke_links(revoked[0], actor=db.session.get(User, owner.id))
    log_in(client, "owner@example.org")
    html = page_of(client, event.id)
    assert "Remind the 1 speaker who has not uploaded" in text_of(html)

    response = client.post(f"/manage/events/{event.id}/speakers/remind", data={"csrf_token": csrf_token(html)})

    assert response.status_code == 303
    assert "A reminder is on its way to 1 speaker." in text_of(
        client.get(response.headers["Location"]).get_data(as_text=True)
    )
    with app.app_context():
        [mail] = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "speaker_reminder")).all()
        reminded = db.session.get(Speaker, missing[0])
        assert mail.recipient_email == reminded.email
    assert mail.subject == "Reminder: your slides for Zero-emission deliveries"
    assert "we have not yet received your slides for:" in mail.body_text
    assert "Agenda item 2" in mail.body_text
    [link] = re.findall(r"http://eventapp\.test(/speaker/[A-Za-z0-9_-]+)", mail.body_text)
    assert client.get(link).status_code == 200  # a fresh link that works
    assert "Nobody to remind" not in text_of(page_of(client, event.id))  # still missing: may be reminded again


def test_an_organiser_uploads_on_a_speakers_behalf(app, client, create_event, owner, log_in):
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    [(speaker_id, item_id)] = speakers_of(app, event.id)
    token = invite(app, owner, speaker_id)
    log_in(client, "owner@example.org")
    url = f"/manage/events/{event.id}/speakers/{speaker_id}/items/{item_id}/slides"

    refused = post_file(client, url, csrf_token(page_of(client, event.id)), sample_files.executable_bytes(), "x.pdf")
    kept = post_file(client, url, csrf_token(page_of(client, event.id)), sample_files.pdf_bytes(), "Forslag.pdf")

    assert refused.status_code == 400
    error = re.search(rf'id="file-{speaker_id}-{item_id}-error">(.*?)</p>', refused.get_data(as_text=True), re.S)
    assert error
    assert "This file is not a kind we accept here." in text_of(error.group(1))
    assert '<details class="row-actions" open>' in refused.get_data(as_text=True)  # the form with the error shows
    assert kept.status_code == 303
    assert "The slides for Speaker 1.1 are uploaded." in text_of(
        client.get(kept.headers["Location"]).get_data(as_text=True)
    )
    with app.app_context():
        version = db.session.scalars(select(MaterialFile)).one()
        assert (version.uploaded_by_user_id, version.uploaded_by_speaker_id) == (owner.id, None)
        assert sorted(storage_for(app).all_hashes()) == [version.sha256]
    assert "Your slides Forslag.pdf" in text_of(client.get(f"/speaker/{token}").get_data(as_text=True))


def test_revoking_switches_the_speakers_links_off(app, client, create_event, owner, log_in):
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    [(speaker_id, _)] = speakers_of(app, event.id)
    token = invite(app, owner, speaker_id)
    log_in(client, "owner@example.org")

    response = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/revoke",
                           data={"csrf_token": csrf_token(page_of(client, event.id))})  # fmt: skip

    assert response.status_code == 303
    assert client.get(f"/speaker/{token}").status_code == 410
    html = page_of(client, event.id)
    assert "No working link" in row_text(html, speaker_id)
    assert "Nobody to remind" in text_of(html)  # a speaker whose links were revoked is not reminded
    assert "1 link of the speaker Speaker 1.1 revoked by" in text_of(client.get(f"/manage/events/{event.id}/audit")
                                                                 .get_data(as_text=True))  # fmt: skip


def test_a_speaker_without_an_address_gets_one_before_the_invitation(app, client, create_event, owner, log_in):
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    [(speaker_id, _)] = speakers_of(app, event.id)
    with app.app_context():
        db.session.get(Speaker, speaker_id).email = ""
        db.session.commit()
    log_in(client, "owner@example.org")
    html = page_of(client, event.id)
    assert "No email address" in row_text(html, speaker_id)
    assert "Invite" not in row_text(html, speaker_id)

    refused = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/invite",
                          data={"csrf_token": csrf_token(html)})  # fmt: skip
    form = client.get(f"/manage/events/{event.id}/speakers/{speaker_id}/edit").get_data(as_text=True)
    bad = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/edit",
                      data={"csrf_token": csrf_token(form), "name": "Aino Virtanen",
                            "email": "not an address"})  # fmt: skip
    saved = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/edit",
                        data={"csrf_token": csrf_token(form), "name": "Aino Virtanen", "organisation": "Espoo",
                              "email": "Aino.Virtanen@example.org"})  # fmt: skip
    invited = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/invite",
                          data={"csrf_token": csrf_token(html)})  # fmt: skip

    assert refused.status_code == 400
    assert "Speaker 1.1 has no email address. Add one to the speaker first" in text_of(refused.get_data(as_text=True))
    assert bad.status_code == 400
    assert "Please enter an email address such as name@example.org." in text_of(bad.get_data(as_text=True))
    assert saved.status_code == 303
    assert invited.status_code == 303
    with app.app_context():
        speaker = db.session.get(Speaker, speaker_id)
        assert (speaker.name, speaker.organisation, speaker.email) == ("Aino Virtanen", "Espoo",
                                                                       "aino.virtanen@example.org")  # fmt: skip
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def test_another_organiser_may_not_see_or_upload(app, client, create_event, owner, create_account, log_in):
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    [(speaker_id, item_id)] = speakers_of(app, event.id)
    create_account("other@example.org")
    log_in(client, "other@example.org")
    token = csrf_token(client.get("/manage/").get_data(as_text=True))

    listed = client.get(f"/manage/events/{event.id}/speakers")
    uploaded = post_file(client, f"/manage/events/{event.id}/speakers/{speaker_id}/items/{item_id}/slides", token,
                         sample_files.pdf_bytes(), "a.pdf")  # fmt: skip
    invited = client.post(f"/manage/events/{event.id}/speakers/{speaker_id}/invite", data={"csrf_token": token})

    assert (listed.status_code, uploaded.status_code, invited.status_code) == (403, 403, 403)
    assert "Speaker 1.1" not in listed.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MaterialFile)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
        assert list(storage_for(app).all_hashes()) == []


def test_a_speaker_of_another_event_is_not_found_here(app, client, create_event, owner, log_in):
    event = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    other = create_event(agenda=1, speakers_per_item=1, created_by_id=owner.id)
    [(foreign_speaker, _)] = speakers_of(app, other.id)
    log_in(client, "owner@example.org")

    response = client.post(f"/manage/events/{event.id}/speakers/{foreign_speaker}/invite",
                           data={"csrf_token": csrf_token(page_of(client, event.id))})  # fmt: skip

    assert response.status_code == 404
