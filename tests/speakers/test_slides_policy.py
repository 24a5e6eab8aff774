"""When speakers' slides become visible (the event's choice), "publish all that is ready" with its
preview, the speaker page's "opened the link" and "published", and each talk's slides in the agenda."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from eventapp.accounts.models import User
from eventapp.events.enums import SlidesPublish
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.models import Material
from eventapp.speakers import services
from eventapp.speakers.models import Speaker
from tests import sample_files
from tests.materials.material_helpers import post_form
from tests.registrations.conftest import csrf_token, text_of
from tests.speakers.test_portal import post_file

pytest_plugins = ["tests.materials.material_fixtures"]


def set_policy(app, event_id: int, policy: SlidesPublish) -> None:
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == event_id).values(slides_publish=policy))
        db.session.commit()


def invite(app, webinar, index: int) -> str:
    with app.app_context():
        return services.invite(webinar.speaker_ids[index], actor=db.session.get(User, webinar.owner_id))


def speaker_uploads(app, webinar, index: int, title: str) -> None:
    """The speaker opens their mailed link and uploads their slides through the portal's form."""
    token = invite(app, webinar, index)
    client = app.test_client()
    page = client.get(f"/speaker/{token}").get_data(as_text=True)
    response = post_file(client, f"/speaker/{token}/items/{webinar.item_ids[index]}/slides", csrf_token(page),
                         sample_files.pdf_bytes(title), f"{title}.pdf")  # fmt: skip
    assert response.status_code in (200, 303), response.status_code


def published(app, event_id: int) -> dict[int, bool]:
    with app.app_context():
        return dict(db.session.execute(select(Material.speaker_id, Material.published)
                                       .where(Material.event_id == event_id)).all())  # fmt: skip


def test_under_review_uploads_wait_and_publish_all_publishes_exactly_what_the_preview_showed(
    app, owner_client, webinar
):
    speaker_uploads(app, webinar, 0, "Bergen")
    assert published(app, webinar.id) == {webinar.speaker_ids[0]: False}
    url = f"/manage/events/{webinar.id}/materials/ready"
    preview = owner_client.get(url).get_data(as_text=True)
    assert "1 set of slides becomes visible" in text_of(preview)
    assert "Speaker 1.1" in text_of(preview)
    speaker_uploads(app, webinar, 1, "Trondheim")  # arrives after the organiser looked
    done = owner_client.post(url, data={"csrf_token": csrf_token(preview),
                                        "material": re.findall(r'name="material" value="(\d+)"', preview)})  # fmt: skip
    assert done.status_code == 303
    assert published(app, webinar.id) == {webinar.speaker_ids[0]: True, webinar.speaker_ids[1]: False}
    assert "1 set of slides was published." in text_of(
        owner_client.get(done.headers["Location"]).get_data(as_text=True)
    )
    assert owner_client.post(url, data={"material": "1"}).status_code == 400  # no form token: nothing done


def test_at_upload_the_slides_publish_themselves(app, owner_client, webinar):
    page = owner_client.get(webinar.materials_url).get_data(as_text=True)
    saved = owner_client.post(f"/manage/events/{webinar.id}/materials/slides-policy",
                              data={"csrf_token": csrf_token(page), "slides_publish": "at_upload"})  # fmt: skip
    assert saved.status_code == 303
    bad = owner_client.post(f"/manage/events/{webinar.id}/materials/slides-policy",
                            data={"csrf_token": csrf_token(page), "slides_publish": "whenever"})  # fmt: skip
    assert bad.status_code == 400
    speaker_uploads(app, webinar, 0, "Bergen")
    assert published(app, webinar.id) == {webinar.speaker_ids[0]: True}


def test_with_the_materials_the_ready_slides_go_when_the_materials_are_published(app, owner_client, webinar):
    set_policy(app, webinar.id, SlidesPublish.WITH_MATERIALS)
    speaker_uploads(app, webinar, 0, "Bergen")
    assert published(app, webinar.id) == {webinar.speaker_ids[0]: False}
    publish_url = f"/manage/events/{webinar.id}/materials/publish"
    assert post_form(owner_client, publish_url, publish_url).status_code == 303
    assert published(app, webinar.id) == {webinar.speaker_ids[0]: True}
    speaker_uploads(app, webinar, 1, "Trondheim")  # after the materials: at once
    assert published(app, webinar.id)[webinar.speaker_ids[1]] is True

    page = text_of(app.test_client().get(f"/events/{webinar.slug}").get_data(as_text=True))
    agenda = page[page.index("Agenda item 1") :]
    assert "Slides: Agenda item 1 – Speaker 1.1" in agenda  # next to the talk and its speaker


def test_the_speaker_page_shows_invited_opened_uploaded_and_published(app, owner_client, webinar):
    invite(app, webinar, 1)
    speaker_uploads(app, webinar, 0, "Bergen")
    page = text_of(owner_client.get(f"/manage/events/{webinar.id}/speakers").get_data(as_text=True))
    assert page.count("Opened the link") == 1  # speaker 1.1 opened it; 1.2 was invited only
    assert "Has not opened the link" in page
    assert "Slides uploaded" in page
    assert "Not published yet" in page
    with app.app_context():
        opened = db.session.scalars(select(Speaker.link_opened_at).order_by(Speaker.name)).all()
    assert opened[0] is not None
    assert opened[1] is None
