"""Sending a mailing: one message from the organisers, one mail per chosen person, all through the outbox."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import NotAllowed, NotFound, ValidationFailed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import enqueue
from eventapp.mailings import messages
from eventapp.mailings.models import Mailing
from eventapp.mailings.queries import Audience, recipients
from eventapp.registrations.services import mint_token
from eventapp.urls import absolute_url

SUBJECT_MAX = 200
BODY_MAX = 20_000


def check(subject: str, body: str, audience: Audience) -> None:
    """What the form cannot know: raises ValidationFailed at the field to fix."""
    if not subject.strip():
        raise ValidationFailed("subject", str(_l("Write a subject line.")))
    if not body.strip():
        raise ValidationFailed("body", str(_l("Write the message.")))
    if not audience.statuses:
        raise ValidationFailed("statuses", str(_l("Choose who gets the message.")))


def send_mailing(
    event_id: int, *, subject: str, body: str, audience: Audience, actor: User, expected: int | None = None
) -> Mailing:
    """Write one mail per person in ``audience`` (in their language, with their own link) to the outbox,
    all in one transaction with the mailing row and an audit entry; the worker sends them.

    ``expected`` is the number the organiser saw in the preview: if registrations changed since, nothing
    is sent and ValidationFailed says so, so nobody gets a message meant for a different group.
    """
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    subject, body = subject.strip()[:SUBJECT_MAX], body.strip()[:BODY_MAX]
    check(subject, body, audience)
    statuses = [s.value for s in audience.statuses]
    _refuse_a_second_click(event_id, subject=subject, body=body, statuses=statuses, audience=audience)
    people = list(db.session.scalars(recipients(event_id, audience)))
    if not people:
        raise ValidationFailed("statuses", str(_l("No one registered for this event matches these choices.")))
    if expected is not None and expected != len(people):
        raise ValidationFailed(
            "statuses",
            ngettext(
                "Since your preview the group has changed: it is now %(num)d person. Look at the preview again, "
                "then send.",
                "Since your preview the group has changed: it is now %(num)d people. Look at the preview again, "
                "then send.",
                len(people),
            ),
        )
    mailing = Mailing(
        event_id=event_id,
        author_id=actor.id,
        subject=subject,
        body=body,
        statuses=statuses,
        attendance=audience.attendance,
        recipient_count=len(people),
    )
    db.session.add(mailing)
    db.session.flush()
    for registration in people:
        manage_url = absolute_url("registrations.manage", token=mint_token(registration))
        row = enqueue(messages.organiser_message(registration, subject=subject, body=body, manage_url=manage_url))
        row.mailing_id = mailing.id
    audit.record(
        "mailing.sent",
        actor=actor,
        event_id=event_id,
        mailing_id=mailing.id,
        recipients=len(people),
        subject=subject,
    )
    db.session.commit()
    return mailing


#: The same message to the same group within this time is taken for a second click on "Send".
RESEND_GUARD = timedelta(minutes=10)


def _refuse_a_second_click(event_id: int, *, subject: str, body: str, statuses: list[str], audience: Audience) -> None:
    since = utcnow() - RESEND_GUARD
    earlier = db.session.scalars(
        select(Mailing).where(
            Mailing.event_id == event_id,
            Mailing.subject == subject,
            Mailing.created_at >= since,
            Mailing.attendance == audience.attendance,
        )
    ).all()
    if any(m.body == body and sorted(m.statuses) == sorted(statuses) for m in earlier):
        raise ValidationFailed(
            "subject", str(_l("You sent this same message to the same people a few minutes ago. It is not sent twice."))
        )


def retry_failed(mailing_id: int, *, actor: User) -> int:
    """Put a mailing's failed mails back in the queue (after the mail server was fixed). Returns how many."""
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None:
        raise NotFound()
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.mailing_id == mailing_id, OutboxMessage.status == OutboxStatus.FAILED)
        .values(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(), last_error="")
    )
    count = result.rowcount or 0
    if count:
        audit.record(
            "mailing.retried", actor=actor, event_id=mailing.event_id, mailing_id=mailing_id, mails=count,
            subject=mailing.subject,
        )  # fmt: skip
    db.session.commit()
    return count


def resend_failed_mail(mail_id: int, *, event_id: int, email: str, actor: User) -> OutboxMessage:
    """An organiser corrects the address of a failed mail of their event and sends it again.

    The mail goes back to the queue (pending, due now, attempts reset, error cleared) to ``email``; the
    registration or speaker it was written to gets the corrected address too, so later mails reach them.
    Side effects: the outbox row, the person's address, an audit entry. Raises NotFound (not a mail of
    this event), NotAllowed (no longer failed: sent again already), ValidationFailed("email", ...) when
    another registration of the event already uses the address.
    """
    row = db.session.get(OutboxMessage, mail_id, with_for_update=True)
    if row is None or row.event_id != event_id:
        raise NotFound()
    if row.status is not OutboxStatus.FAILED:
        raise NotAllowed(str(_l("This mail is no longer failed: it has already been sent again.")))
    address = email.strip()
    changed = address.lower() != row.recipient_email.lower()
    if row.registration is not None:
        address = address.lower()  # registrations keep addresses in lower case
        row.registration.email = address
    if row.speaker is not None:
        row.speaker.email = address
    row.recipient_email = address
    row.status = OutboxStatus.PENDING
    row.attempts = 0
    row.next_attempt_at = utcnow()
    row.last_error = ""
    audit.record(
        "mail.resent", actor=actor, event_id=event_id, registration_id=row.registration_id,
        mail_id=row.id, address_changed=changed or None,
        recipient=None if row.registration_id else row.recipient_name,
    )  # fmt: skip
    try:
        db.session.flush()
    except IntegrityError as exc:
        db.session.rollback()
        raise ValidationFailed(
            "email", str(_l("Another person registered for this event already uses this address."))
        ) from exc
    db.session.commit()
    return row
