"""The registration mails are drafts that the mail worker renders after the commit (``mail.drafts``,
``registrations.drafts``): the same mails as when they were rendered in the request, written in the
use case's transaction, sent exactly once, the personal-link token kept only until the mail is rendered."""

from __future__ import annotations

import logging
import re
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select, update

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail import drafts as mail_drafts
from eventapp.mail.enums import MailReason, OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import ClaimedMail, RenderedMail
from eventapp.mail.transport import build_mime
from eventapp.mail.worker import Worker
from eventapp.registrations import drafts, messages, services
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration, RegistrationToken
from eventapp.security import hash_token
from tests.drafts import render_drafts
from tests.registrations.test_rules import data

ROOT = Path(__file__).resolve().parents[2]
WITHDRAWING = {MailReason.CANCELLED, MailReason.REJECTED, MailReason.EVENT_CANCELLED}


def _wire(mail: RenderedMail | OutboxMessage) -> bytes:
    """The mail as the worker puts it on the wire, with the parts that differ between any two sendings
    (Date, the MIME boundaries) made the same."""
    claimed = ClaimedMail(
        id=1, message_id="<same@example.org>", recipient_email=mail.recipient_email,
        recipient_name=mail.recipient_name, sender="eventapp <noreply@example.org>", subject=mail.subject,
        body_text=mail.body_text, body_html=mail.body_html, calendar=mail.calendar,
        calendar_method=mail.calendar_method, attempts=1, created_at=utcnow(),
    )  # fmt: skip
    raw = re.sub(rb"(?m)^Date: .*\r\n", b"", build_mime(claimed))
    for number, boundary in enumerate(re.findall(rb'boundary="([^"]+)"', raw)):
        raw = raw.replace(boundary, b"BOUNDARY%d" % number)
    return raw


def test_each_registration_mail_is_the_same_rendered_by_the_worker(app, create_event):
    """For every reason: the mail built in the request as before, and the draft rendered by the worker,
    compare equal in kind, recipient, language, subject, text, HTML, calendar part and method, and on the
    wire (apart from Date and the MIME boundaries)."""
    event = create_event(capacity=1, online_url="https://meet.example.org/room-7")
    now = utcnow().replace(microsecond=0)
    with app.app_context():
        confirmed_id = services.register(event.id, data("kari@example.org", locale="nb")).registration_id
        waiting_id = services.register(event.id, data("ola@example.org", locale="sv")).registration_id
        db.session.execute(
            update(Registration).where(Registration.id == waiting_id).values(offer_expires_at=now + timedelta(hours=48))
        )
        db.session.commit()
        render_drafts(limit=100)
        compared = 0
        for reason in MailReason:
            waiting = reason in (MailReason.WAITLISTED, MailReason.OFFER, MailReason.OFFER_EXPIRED)
            registration = db.session.get(Registration, waiting_id if waiting else confirmed_id)
            options = {"note": "Bring your own cup.", "withdraw_calendar": reason in WITHDRAWING}
            token = f"token-of-{reason.value}-0123456789abcdef"
            in_request = messages.registration_mail(registration, reason, token=token, now=now, **options)
            draft = drafts.enqueue_registration_mail(registration, reason, token=token, now=now, **options)
            db.session.commit()
            row_id = draft.id
            assert render_drafts(limit=100).rendered == 1
            row = db.session.get(OutboxMessage, row_id)
            assert row.status is OutboxStatus.PENDING
            fields = ("kind", "recipient_email", "recipient_name", "locale", "subject", "body_text", "body_html",
                      "calendar", "calendar_method")  # fmt: skip
            for name in fields:
                assert getattr(row, name) == getattr(in_request, name), (reason, name)
            assert _wire(row) == _wire(in_request), reason
            if reason not in WITHDRAWING | {MailReason.OFFER_EXPIRED}:  # the mails that carry the person's link
                assert f"/r/{token}" in row.body_text, reason
            compared += 1
    assert compared == len(MailReason) == 16  # with attendance_changed (hybrid events)


def test_a_sign_up_writes_a_draft_with_its_token_and_the_hash_beside_it(app, create_event):
    event = create_event()
    with app.app_context():
        result = services.register(event.id, data("kari@example.org"))
        row = db.session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.kind, row.recipient_email) == (OutboxStatus.DRAFT, "registration_confirmed",
                                                               "kari@example.org")  # fmt: skip
        assert (row.subject, row.body_text, row.calendar) == ("", "", None)  # nothing rendered in the request
        assert row.draft_token == result.token
        assert row.draft_params["reason"] == "confirmed"
        assert db.session.scalar(select(RegistrationToken.token_hash)) == hash_token(result.token)

        render_drafts(limit=100)
        row = db.session.scalars(select(OutboxMessage)).one()
        assert row.status is OutboxStatus.PENDING
        assert row.subject == f"You are registered: {event.title}"
        assert (row.draft_token, row.draft_params) == (None, None)  # the token lives until the mail is rendered


def test_the_draft_is_rolled_back_with_a_sign_up_that_fails_at_its_commit(app, create_event):
    """A sign-up whose commit fails (a crash at that moment) leaves no registration, no token, no mail."""
    event = create_event()

    def crash(_session):
        raise RuntimeError("the process dies at the commit")

    with app.app_context():
        session = db.session()
        sa_event.listen(session, "before_commit", crash)
        try:
            with pytest.raises(RuntimeError):
                services.register(event.id, data("kari@example.org"))
        finally:
            sa_event.remove(session, "before_commit", crash)
        assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
        assert db.session.scalar(select(func.count()).select_from(RegistrationToken)) == 0
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_the_worker_renders_and_sends_a_sign_up_exactly_once_with_its_link(mail_app, smtp_server, create_event):
    event = create_event(online_url="https://meet.example.org/room-7")
    with mail_app.app_context():
        result = services.register(event.id, data("kari@example.org"))
        first = Worker(poll_seconds=0).run(once=True)
        again = Worker(poll_seconds=0).run(once=True)
        row = db.session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.draft_token) == (OutboxStatus.SENT, None)

    assert (first.rendered, first.sent, again.rendered, again.sent) == (1, 1, 0, 0)
    [message] = smtp_server.inbox.messages
    assert message["Subject"] == f"You are registered: {event.title}"
    text = message.get_body(("plain",)).get_content()
    assert f"http://eventapp.test/r/{result.token}" in text  # the link works: its hash is the stored one
    assert "Join online: https://meet.example.org/room-7" in text
    calendar = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert calendar
    assert b"METHOD:REQUEST" in calendar[0].get_payload(decode=True)


def test_a_draft_left_by_a_request_that_died_after_its_commit_is_sent(mail_app, smtp_server, create_event):
    """Another process signs up and dies (os._exit) the moment its commit returns: the worker renders
    and sends the mail it left."""
    event = create_event()
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(ROOT)!r})
        from eventapp import create_app
        from tests.conftest import TEST_CONFIG
        app = create_app({{**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": {mail_app.config["SQLALCHEMY_DATABASE_URI"]!r}}})
        from eventapp.registrations import services
        from tests.registrations.test_rules import data
        with app.app_context():
            services.register({event.id}, data("kari@example.org"))
            os._exit(9)
    """)
    died = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120)
    assert died.returncode == 9
    with mail_app.app_context():
        assert db.session.scalars(select(OutboxMessage.status)).all() == [OutboxStatus.DRAFT]
        tally = Worker(poll_seconds=0).run(once=True)
    assert (tally.rendered, tally.sent) == (1, 1)
    assert [m["Subject"] for m in smtp_server.inbox.messages] == [f"You are registered: {event.title}"]


def test_a_draft_claimed_by_the_worker_that_rendered_it_and_then_died_is_sent_once_by_another_after_the_lease(
    mail_app, smtp_server, create_event
):
    """The worker claims what it renders in the same transaction (``render_drafts(owner=..., lease=...)``):
    the row is then the dead worker's, rendered and under its lease; no one sends it while the lease runs,
    and after it the next worker sends it once, with the link that works, as a claimed mail is sent."""
    event = create_event()
    with mail_app.app_context():
        result = services.register(event.id, data("kari@example.org"))
        claimed = mail_drafts.render_drafts(limit=10, owner="a-worker-that-died", lease=timedelta(minutes=5))
        assert [(m.recipient_email, m.attempts) for m in claimed.claimed] == [("kari@example.org", 1)]
        assert claimed.claimed[0].subject == f"You are registered: {event.title}"
        db.session.remove()
        row = db.session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.claimed_by, row.draft_token) == (OutboxStatus.SENDING, "a-worker-that-died", None)
        assert f"/r/{result.token}" in row.body_text  # rendered and stored: a worker taking it over sends this

        assert Worker(poll_seconds=0).run(once=True).sent == 0  # held under the dead worker's lease
        db.session.execute(update(OutboxMessage).values(lease_expires_at=utcnow() - timedelta(seconds=1)))
        db.session.commit()
        heir = Worker(poll_seconds=0).run(once=True)
        again = Worker(poll_seconds=0).run(once=True)
        row = db.session.scalars(select(OutboxMessage)).one()
        assert (row.status, row.claimed_by) == (OutboxStatus.SENT, None)

    assert (heir.rendered, heir.sent, again.sent) == (0, 1, 0)
    [message] = smtp_server.inbox.messages
    assert f"http://eventapp.test/r/{result.token}" in message.get_body(("plain",)).get_content()


def test_a_draft_whose_registration_is_gone_is_dropped_with_a_log_line(app, create_event, caplog):
    event = create_event()
    with app.app_context():
        registration_id = services.register(event.id, data("kari@example.org")).registration_id
        db.session.delete(db.session.get(Registration, registration_id))  # gone before the worker came
        db.session.commit()
        with caplog.at_level(logging.WARNING, logger="eventapp.mail.drafts"):
            first = render_drafts(limit=100)
            again = render_drafts(limit=100)
        assert (first.dropped, again.handled) == (1, 0)  # dropped once, not retried in a loop
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert "dropped before rendering" in caplog.text


def test_erasing_a_person_before_the_worker_renders_takes_their_draft_and_token(app, create_event):
    event = create_event()
    with app.app_context():
        registration_id = services.register(event.id, data("kari@example.org")).registration_id
        from eventapp.registrations import privacy

        privacy.erase_registration(registration_id)
        assert db.session.scalars(select(OutboxMessage.draft_token)).all() == []
        assert render_drafts(limit=100).handled == 0


def test_a_draft_that_cannot_be_rendered_is_retried_later_then_failed(app, create_event):
    event = create_event()
    with app.app_context():
        app.config["MAIL_MAX_ATTEMPTS"], saved = 2, app.config["MAIL_MAX_ATTEMPTS"]
        try:
            services.register(event.id, data("kari@example.org"))
            db.session.execute(update(OutboxMessage).values(draft_params={"reason": "no such reason"}))
            db.session.commit()
            first = render_drafts(limit=100)
            row = db.session.scalars(select(OutboxMessage)).one()
            assert (first.failed, row.status, row.attempts) == (1, OutboxStatus.DRAFT, 1)
            assert row.next_attempt_at > utcnow()
            assert "no such reason" in row.last_error
            assert render_drafts(limit=100).handled == 0  # not before its back-off
            render_drafts(limit=100, now=utcnow() + timedelta(days=1))
            row = db.session.scalars(select(OutboxMessage)).one()
            assert (row.status, row.draft_token) == (OutboxStatus.FAILED, None)  # the organiser sees it failed
        finally:
            app.config["MAIL_MAX_ATTEMPTS"] = saved


def test_a_waitlisted_draft_rendered_later_counts_the_place_then(app, create_event):
    """Decided: a draft is drawn from the registration and event as they are when it is rendered; only
    what the mail was caused by (reason, note, SEQUENCE, DTSTAMP, link) is of its moment."""
    event = create_event(capacity=1)
    with app.app_context():
        services.register(event.id, data("kari@example.org"))
        services.register(event.id, data("ola@example.org"))
        render_drafts(limit=100)
        third = services.register(event.id, data("per@example.org")).registration_id
        services.cancel_registration(db.session.scalars(select(Registration.id).where(
            Registration.email == "ola@example.org")).one())  # fmt: skip
        assert db.session.get(Registration, third).status is RegistrationStatus.WAITLISTED
        render_drafts(limit=100)
        waitlisted = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.recipient_email == "per@example.org")).one()  # fmt: skip
    assert "number 1." in waitlisted.body_text  # second when it signed up, first when the mail was written


def test_one_batch_of_many_events_languages_reasons_and_people_renders_each_mail_as_alone(app, create_event):
    """The worker renders what a batch's mails share once (``registration_mail``'s memo: the calendar
    without its personal lines, the subject and bodies with the name and link as marks). Two events (one
    hybrid), four languages, on site and online, confirmed and waiting, two notes and every reason in one
    batch: each mail is the same as rendered alone, so no two of them may share a text they differ in."""
    from eventapp.events.enums import EventFormat
    from eventapp.registrations.enums import AttendanceMode

    now = utcnow().replace(microsecond=0)
    online = create_event(capacity=1, online_url="https://meet.example.org/room-7", title="Webinar & <more>")
    hybrid = create_event(format=EventFormat.HYBRID, capacity=1, online_capacity=1, online_url="https://meet.example.org/h",
                          venue_name="Stadshuset", venue_address="Exempelgatan 3, 211 20 Malmö", city="Malmö",
                          title="Hybrid; event, \"quoted\"")  # fmt: skip
    people = [
        (online, "kari@example.org", "nb", None, 'Kari <b>Nord</b> & "Sør"'),
        (online, "ola@example.org", "sv", None, "Ola %(name)s Ölund"),
        (online, "per@example.org", "en", None, "Per"),
        (hybrid, "anna@example.org", "nb", AttendanceMode.ON_SITE, "Anna"),
        (hybrid, "bo@example.org", "en", AttendanceMode.ONLINE, "Bo O'Brien"),
        (hybrid, "carl@example.org", "fi", AttendanceMode.ON_SITE, "Carl"),
        (hybrid, "dag@example.org", "en", AttendanceMode.ON_SITE, "Dag"),  # waiting on site, as Eva online:
        (hybrid, "eva@example.org", "en", AttendanceMode.ONLINE, "Eva"),  # same language, neither sees the link
    ]
    with app.app_context():
        ids = [services.register(event.id, data(email, locale=locale, attendance=mode, name=name)).registration_id
               for event, email, locale, mode, name in people]  # fmt: skip
        db.session.execute(update(Registration).where(Registration.id == ids[1]).values(
            offer_expires_at=now + timedelta(hours=48)))  # fmt: skip
        db.session.commit()
        render_drafts(limit=1000)
        expected: dict[int, RenderedMail] = {}
        for reason in MailReason:
            for number, registration_id in enumerate(ids):
                registration = db.session.get(Registration, registration_id)
                options = {"note": ("Bring your own cup.", "")[number % 2], "withdraw_calendar": reason in WITHDRAWING}
                token = f"token-{reason.value}-{number}-0123456789abcdef"
                in_request = messages.registration_mail(registration, reason, token=token, now=now, **options)
                draft = drafts.enqueue_registration_mail(registration, reason, token=token, now=now, **options)
                db.session.flush()
                expected[draft.id] = in_request
        db.session.commit()
        assert render_drafts(limit=1000).rendered == len(expected) == 16 * len(people)
        fields = ("kind", "recipient_email", "recipient_name", "locale", "subject", "body_text", "body_html",
                  "calendar", "calendar_method")  # fmt: skip
        for row_id, in_request in expected.items():
            row = db.session.get(OutboxMessage, row_id)
            for name in fields:
                assert getattr(row, name) == getattr(in_request, name), (row.kind, row.recipient_email, name)
            assert _wire(row) == _wire(in_request), (row.kind, row.recipient_email)
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(expected))).all()
        assert len({row.body_html for row in rows}) == len(expected)  # each its own: at least the link differs
