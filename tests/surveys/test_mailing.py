"""The survey's mails on the real SMTP server: the link to those who came a day after the event (or at
once when the follow-up mail went before), one reminder three days later to those who have not answered,
each once whatever the number of workers' runs."""

from __future__ import annotations

import re
from datetime import timedelta

from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.surveys import chores
from tests.mail.test_worker import drain
from tests.surveys.conftest import check_in
from tests.surveys.test_answering import answer


def recipients(smtp_server) -> list[str]:
    return sorted(str(m["To"].addresses[0].addr_spec) for m in smtp_server.inbox.messages)


def test_the_link_goes_a_day_after_the_event_then_one_reminder_to_who_has_not_answered(
    app, mail_app, smtp_server, make_ended
):
    ended = make_ended(anonymous=True)
    check_in(app, ended.people["ola@example.org"][0])
    check_in(app, ended.people["emma@example.org"][0])  # attendance recorded: Liisa did not come
    drain(mail_app)
    smtp_server.inbox.messages.clear()
    with app.app_context():
        assert chores.send_invitations(now=utcnow()) == 0  # the follow-up mail may still bring it
        tomorrow = utcnow() + timedelta(days=1, minutes=1)
        assert chores.send_invitations(now=tomorrow) == 2
        assert chores.send_invitations(now=tomorrow + timedelta(hours=1)) == 0
    drain(mail_app)
    assert recipients(smtp_server) == ["emma@example.org", "ola@example.org"]
    mail = next(m for m in smtp_server.inbox.messages if "ola@" in str(m["To"]))
    assert mail["Subject"] == "What did you think of Innovative procurement and the SDGs?"
    body = mail.get_body(("plain",)).get_content()
    assert "The survey is anonymous" in body
    link = re.search(r"http://eventapp\.test(/r/[A-Za-z0-9_-]+/survey)", body)
    assert link
    assert app.test_client().get(link.group(1)).status_code == 200  # the mailed link opens the survey

    assert answer(app, ended, "ola@example.org").status_code == 303
    smtp_server.inbox.messages.clear()
    with app.app_context():
        assert chores.send_reminders(now=tomorrow + timedelta(days=2)) == 0  # not three days yet
        assert chores.send_reminders(now=tomorrow + timedelta(days=3)) == 1
        assert chores.send_reminders(now=tomorrow + timedelta(days=9)) == 0  # one reminder only
    drain(mail_app)
    assert recipients(smtp_server) == ["emma@example.org"]
    assert smtp_server.inbox.messages[0]["Subject"].startswith("Reminder: what did you think of")


def test_the_link_goes_at_once_when_the_follow_up_mail_went_before_the_survey(app, mail_app, smtp_server,
                                                                               make_ended):  # fmt: skip
    ended = make_ended()
    with app.app_context():
        db.session.get(Event, ended.id).materials_mail_sent_at = utcnow() - timedelta(minutes=5)
        db.session.commit()
        assert chores.send_invitations(now=utcnow()) == 3  # online, nobody checked in: all confirmed


def test_a_survey_without_questions_sends_nothing(app, make_ended):
    ended = make_ended(with_survey=False)
    with app.app_context():
        from eventapp.accounts.models import User
        from eventapp.surveys import services

        services.save_survey(ended.id, services.SurveyData(anonymous=True), actor=db.session.get(User, ended.owner_id))
        assert chores.run(now=utcnow() + timedelta(days=5)) == (0, 0)


def test_the_mail_is_in_the_attendees_language(app, mail_app, smtp_server, make_ended):
    ended = make_ended(people=("kari.nordmann@example.org",))
    with app.app_context():
        from eventapp.registrations.models import Registration

        db.session.get(Registration, ended.people["kari.nordmann@example.org"][0]).locale = "nb"
        db.session.commit()
        chores.send_invitations(now=utcnow() + timedelta(days=2))
    drain(mail_app)
    mails = [m for m in smtp_server.inbox.messages if "survey" in m.get_body(("plain",)).get_content()]
    assert mails[-1]["Subject"].startswith("Hva syntes du om")
