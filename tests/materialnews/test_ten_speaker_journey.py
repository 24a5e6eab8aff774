"""Issue 16's journey on the real SMTP server: a ten-speaker webinar. Ten speakers upload from the links
they were mailed; the slides show next to each talk; publishing the materials sends one mail per attendee
(with the survey's link for those who came); two decks that arrive late make exactly one "new materials"
mail each, the next day; the survey answers arrive and the results page draws its charts."""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta

from sqlalchemy import select, update

from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.events.enums import SlidesPublish
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materialnews import services as news
from eventapp.registrations import services as registrations
from eventapp.registrations.models import Registration
from eventapp.speakers import services as speaker_services
from eventapp.speakers.models import Speaker
from eventapp.surveys import services as surveys
from eventapp.surveys.enums import SurveyQuestionKind
from tests import sample_files
from tests.mail.test_worker import drain
from tests.materials.material_helpers import add_link, post_form
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data
from tests.speakers.test_portal import post_file

ATTENDEES = ("ola@example.org", "emma@example.org", "liisa@example.org", "sven@example.org")


def to(message) -> str:
    return str(message["To"].addresses[0].addr_spec)


def test_ten_speakers_materials_late_decks_and_the_survey(
    app, mail_app, smtp_server, client, create_event, create_account, log_in
):
    owner = create_account("kari@example.org")
    event = create_event(created_by_id=owner.id, agenda=10, speakers_per_item=1,
                         slides_publish=SlidesPublish.WITH_MATERIALS,
                         title="Innovative procurement and the UN Sustainable Development Goals")  # fmt: skip
    with app.app_context():
        for email in ATTENDEES:
            registrations.register(event.id, data(email))
        speakers = db.session.scalars(select(Speaker).where(Speaker.event_id == event.id).order_by(Speaker.id)).all()
        speaker_items = [(s.email, s.agenda_links[0].agenda_item_id) for s in speakers]
        for speaker in speakers:
            speaker_services.invite(speaker.id, actor=db.session.get(User, owner.id))
        actor = db.session.get(User, owner.id)
        surveys.save_survey(event.id, surveys.SurveyData(anonymous=True), actor=actor)
        useful = surveys.SurveyQuestionData("How useful was it?", SurveyQuestionKind.SCALE, required=True)
        surveys.add_question(event.id, useful, actor=db.session.get(User, owner.id))
        surveys.add_question(event.id, surveys.SurveyQuestionData("Would you recommend it?",
                                                                  SurveyQuestionKind.RECOMMEND),
                             actor=db.session.get(User, owner.id))  # fmt: skip
    drain(mail_app)
    links = {}
    for message in smtp_server.inbox.messages:
        found = re.search(r"http://eventapp\.test(/speaker/[A-Za-z0-9_-]+)", message.get_body(("plain",)).get_content())
        if found:
            links[to(message)] = found.group(1)
    assert len(links) == 10  # every speaker got their own link

    def speaker_uploads(index: int) -> None:
        email, item_id = speaker_items[index]
        speaker = app.test_client()
        page = speaker.get(links[email]).get_data(as_text=True)
        deck, name = sample_files.pdf_bytes(f"Deck {index}"), f"Webinar - Organisation {index + 1}.pdf"
        response = post_file(speaker, f"{links[email]}/items/{item_id}/slides", csrf_token(page), deck, name)
        assert response.status_code in (200, 303)

    for index in range(8):  # eight decks before the event
        speaker_uploads(index)

    # The webinar takes place; three of the four are checked in.
    with app.app_context():
        db.session.execute(update(Event).where(Event.id == event.id).values(
            starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow() - timedelta(hours=1)))  # fmt: skip
        db.session.execute(update(Registration).where(Registration.event_id == event.id,
                                                      Registration.email != "sven@example.org")
                           .values(checked_in_at=utcnow() - timedelta(hours=2)))  # fmt: skip
        db.session.commit()
    log_in(client, "kari@example.org")
    add_link(client, event.id, kind="recording", title="Recording", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    add_link(client, event.id, kind="board", title="Digital board", url="https://padlet.com/example/sdg")
    smtp_server.inbox.messages.clear()
    publish_url = f"/manage/events/{event.id}/materials/publish"
    assert post_form(client, publish_url, publish_url).status_code == 303
    drain(mail_app)
    followups = smtp_server.inbox.messages[:]
    assert Counter(to(m) for m in followups) == Counter(ATTENDEES)  # one mail per attendee
    with_survey = {to(m) for m in followups if "/survey" in m.get_body(("plain",)).get_content()}
    assert with_survey == {"ola@example.org", "emma@example.org", "liisa@example.org"}  # those who came

    page = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert page.count('class="agenda__slides"') == 8  # each deck next to its talk

    # Two decks arrive late, the same day: nothing today, one mail each the next day.
    speaker_uploads(8)
    speaker_uploads(9)
    smtp_server.inbox.messages.clear()
    with app.app_context():
        assert news.send_new_materials(now=utcnow()) == 0
        next_day = utcnow() + timedelta(days=1)
        assert news.send_new_materials(now=next_day) == 4
        assert news.send_new_materials(now=next_day + timedelta(hours=2)) == 0
    drain(mail_app)
    late = [m for m in smtp_server.inbox.messages if "/material-news" in m.get_body(("plain",)).get_content()]
    assert Counter(to(m) for m in late) == Counter(ATTENDEES)
    body = late[0].get_body(("plain",)).get_content()
    assert "Agenda item 9" in body
    assert "Agenda item 10" in body
    assert "Agenda item 1\n" not in body
    assert app.test_client().get(f"/events/{event.slug}").get_data(as_text=True).count('class="agenda__slides"') == 10

    # The survey: two of those who came answer from their mailed links.
    for message in followups:
        if to(message) in ("ola@example.org", "emma@example.org"):
            path = re.search(r"http://eventapp\.test(/r/[A-Za-z0-9_-]+/survey)", message.get_body(("plain",))
                             .get_content()).group(1)  # fmt: skip
            person = app.test_client()
            form = person.get(path).get_data(as_text=True)
            q = re.findall(r'name="(q_\d+)"', form)
            answered = person.post(path, data={"csrf_token": csrf_token(form), q[0]: "5", q[-1]: "9"})
            assert answered.status_code == 303
    results = client.get(f"/manage/events/{event.id}/survey/results").get_data(as_text=True)
    assert results.count('role="img"') == 2
    assert "Average: 5.0" in text_of(results)
    assert "Answers 2" in text_of(results)
