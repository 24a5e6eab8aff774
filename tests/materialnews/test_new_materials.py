"""Materials that arrive after the follow-up mail: one "new materials" mail a day at most, listing what is
new, to the attendees who got the follow-up mail and did not opt out; on the real SMTP server, with time
moved by the chore's ``now``."""

from __future__ import annotations

import io
import re
from datetime import timedelta

from sqlalchemy import func, select

from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.materialnews import services
from eventapp.materials import services as material_services
from eventapp.materials.enums import MaterialKind
from eventapp.materials.uploads import Upload
from tests import sample_files
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of

pytest_plugins = ["tests.materials.material_fixtures"]


def add_deck(app, webinar, title: str, *, item: int | None = 0) -> int:
    """The slides of agenda item ``item``'s speaker, or (``item=None``) a document of the event."""
    data = (
        material_services.MaterialData(kind=MaterialKind.DOCUMENT, title=title)
        if item is None
        else material_services.MaterialData(kind=MaterialKind.SLIDES, title=title,
                                            agenda_item_id=webinar.item_ids[item], speaker_id=webinar.speaker_ids[item])
    )  # fmt: skip
    with app.app_context():
        material = material_services.create_file_material(
            webinar.id,
            data,
            Upload(io.BytesIO(sample_files.pdf_bytes(title)), f"{title}.pdf"),
            actor=db.session.get(User, webinar.owner_id),
        )  # fmt: skip
        return material.id


def publish(app, webinar) -> None:
    with app.app_context():
        material_services.publish_materials(webinar.id, actor=db.session.get(User, webinar.owner_id))


def news_mails(smtp_server) -> list:
    """The "new materials" mails (in any language: they carry the link that stops them)."""
    return [m for m in smtp_server.inbox.messages if "/material-news" in m.get_body(("plain",)).get_content()]


def test_two_late_decks_make_one_mail_the_next_day_and_none_the_same_day(app, mail_app, smtp_server, webinar):
    add_deck(app, webinar, "Opening")
    publish(app, webinar)
    add_deck(app, webinar, "Bergen kommune", item=1)
    add_deck(app, webinar, "Late appendix", item=None)
    with app.app_context():
        assert services.send_new_materials(now=utcnow()) == 0  # the follow-up mail went today
        tomorrow = utcnow() + timedelta(days=1)
        assert services.send_new_materials(now=tomorrow) == 2  # one each to Ola and Emma
        assert services.send_new_materials(now=tomorrow + timedelta(hours=3)) == 0
    drain(mail_app)
    mails = news_mails(smtp_server)
    assert sorted(str(m["To"].addresses[0].addr_spec) for m in mails) == ["emma@example.org", "ola@example.org"]
    emma = next(m for m in mails if "emma@" in str(m["To"])).get_body(("plain",)).get_content()
    assert "Bergen kommune" in emma
    assert "Late appendix" in emma
    assert "Opening" not in emma  # in the follow-up mail already
    assert "/material-news" in emma
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "materials_followup")) == 2


def test_a_person_who_opts_out_gets_no_more_and_nothing_new_means_no_mail(app, mail_app, smtp_server, webinar):
    add_deck(app, webinar, "Opening")
    publish(app, webinar)
    client = app.test_client()
    url = f"/r/{webinar.tokens['ola@example.org']}/material-news"
    page = client.get(url).get_data(as_text=True)
    stopped = client.post(url, data={"csrf_token": csrf_token(page)})
    assert stopped.status_code == 200
    assert "You get no more mails about new materials from this event." in text_of(stopped.get_data(as_text=True))
    assert client.post(url, data={}).status_code == 400  # without the form's token: nothing done, said so
    with app.app_context():
        assert services.send_new_materials(now=utcnow() + timedelta(days=1)) == 0  # nothing new
    add_deck(app, webinar, "Late deck", item=1)
    with app.app_context():
        assert services.send_new_materials(now=utcnow() + timedelta(days=2)) == 1  # Emma only
        later = services.send_new_materials(now=utcnow() + timedelta(days=2, hours=2))
    assert later == 0


def test_the_next_late_deck_waits_for_the_next_day(app, webinar):
    add_deck(app, webinar, "Opening")
    publish(app, webinar)
    add_deck(app, webinar, "First late", item=None)
    with app.app_context():
        day2 = utcnow() + timedelta(days=1)
        assert services.send_new_materials(now=day2) == 2
    add_deck(app, webinar, "Second late", item=1)
    with app.app_context():
        assert services.send_new_materials(now=day2 + timedelta(minutes=30)) == 0  # one a day
        assert services.send_new_materials(now=day2 + timedelta(days=1)) == 2


def test_the_follow_up_mail_carries_the_survey_link_for_those_who_came(app, mail_app, smtp_server, webinar):
    from eventapp.events.models import Event
    from eventapp.surveys import chores
    from eventapp.surveys import services as surveys
    from eventapp.surveys.enums import SurveyQuestionKind

    with app.app_context():
        owner = db.session.get(User, webinar.owner_id)
        surveys.save_survey(webinar.id, surveys.SurveyData(anonymous=True), actor=owner)
        surveys.add_question(webinar.id, surveys.SurveyQuestionData("Useful?", SurveyQuestionKind.SCALE),
                             actor=db.session.get(User, webinar.owner_id))  # fmt: skip
        event = db.session.get(Event, webinar.id)
        event.starts_at, event.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=1)
        db.session.commit()
    add_deck(app, webinar, "Opening")
    drain(mail_app)
    smtp_server.inbox.messages.clear()
    publish(app, webinar)
    drain(mail_app)
    followups = {str(m["To"].addresses[0].addr_spec): m for m in smtp_server.inbox.messages}
    assert sorted(followups) == ["emma@example.org", "ola@example.org"]  # the follow-up mail, nothing else
    assert "/survey" in followups["ola@example.org"].get_body(("plain",)).get_content()
    body = followups["emma@example.org"].get_body(("plain",)).get_content()
    link = re.search(r"http://eventapp\.test(/r/[A-Za-z0-9_-]+/survey)", body)
    assert link
    assert app.test_client().get(link.group(1)).status_code == 200
    with app.app_context():
        assert chores.send_invitations(now=utcnow() + timedelta(days=2)) == 0  # they had it already
