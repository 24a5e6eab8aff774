"""A person's own link, mailed again: when they ask ("lost your link") or when someone signs up again
with their address. Both answer the same whether or not the address is registered, and an address gets
at most a few such mails an hour, whoever asks."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from eventapp import addresses
from eventapp.db import begin_write, utcnow
from eventapp.extensions import db
from eventapp.mail.enums import MailReason
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.registrations.services import mail_registration
from eventapp.transactions import use_case

#: Mails with a person's link that an address receives at most per hour, whoever asks ("lost your
#: link", or a sign-up with an address already registered): enough for a person who lost a mail, too few
#: to flood anyone. Counted in the outbox, so the limit holds across every app process.
LINK_MAILS_PER_HOUR = 3
LINK_MAIL_KINDS = ("registration_link", "registration_already_registered")


@use_case
def send_link_again(
    event_id: int, email: str, *, now: datetime | None = None, reason: MailReason = MailReason.LINK
) -> bool:
    """Mail the person their registration link again (a new link; earlier ones keep working).

    ``reason``: ``link`` (they asked for it) or ``already_registered`` (someone signed up again with the
    address: the person learns it, the one who typed it learns nothing). Returns whether a mail was
    enqueued; callers answer the same either way, so the answer does not tell who is registered.
    Locks the registration row, so that counting and sending are one step for each address: at most
    LINK_MAILS_PER_HOUR such mails per address and hour, the rest are dropped. Side effects: a token and
    an outbox mail.
    """
    now = now or utcnow()
    address = addresses.lookup_form(email)
    begin_write(db.session)
    registration = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            Registration.email == address,
            Registration.status != RegistrationStatus.CANCELLED,
        )
        .with_for_update()
    ).one_or_none()
    if registration is None or link_mails_in_last_hour(address, now=now) >= LINK_MAILS_PER_HOUR:
        db.session.rollback()
        return False
    mail_registration(registration, reason, now=now)
    db.session.commit()
    return True


def link_mails_in_last_hour(address: str, *, now: datetime) -> int:
    return int(
        db.session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.recipient_email == address,
                OutboxMessage.kind.in_(LINK_MAIL_KINDS),
                OutboxMessage.created_at > now - timedelta(hours=1),
            )
        )
        or 0
    )
