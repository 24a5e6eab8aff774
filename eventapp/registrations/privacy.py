"""GDPR use cases: a person erases their registration, an organiser erases a person by address, and the
shared step that leaves no personal data behind (also used by the retention purge in ``chores``).

Decision: an erased registration is anonymised, not deleted. Its row stays with its status, check-in
time, organisation, organisation type and country (which say nothing about the person), so the event's
statistics keep counting it; name, address, job title, organisation number, answers, requirement
confirmations, link tokens, the mails sent to the address and their .eml files, and the notes written in
audit entries about it go. Erasure before the event is a cancellation first (the seat goes to the waiting
list, with the promotions' mails), without a cancellation mail: that mail would have to keep the address.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, select, update

from eventapp.accounts import audit
from eventapp.accounts.enums import AuditRole
from eventapp.accounts.models import AuditEntry, User
from eventapp.db import utcnow
from eventapp.errors import NotFound
from eventapp.events.models import Event
from eventapp.events.permissions import manageable_events
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import (
    Registration,
    RegistrationAnswer,
    RegistrationToken,
    RequirementConfirmation,
)
from eventapp.registrations.services import _load_for_change, fill_free_seats, normalise_email, transition

PURGED_DOMAIN = audit.PURGED_DOMAIN


def anonymise(registration_ids: list[int]) -> list[int]:
    """Blank the personal data of these registrations, in the caller's transaction (flush only).

    Deletes their answers, requirement confirmations and link tokens; the outbox rows sent to an address
    no kept registration uses any more; and the free-text notes of audit entries about them. Returns the
    ids of the deleted outbox rows, whose .eml files ``remove_mail_files`` deletes after the commit."""
    if not registration_ids:
        return []
    addresses = set(db.session.scalars(select(Registration.email).where(Registration.id.in_(registration_ids))))
    still_used = set(
        db.session.scalars(
            select(Registration.email).where(
                Registration.email.in_(addresses), Registration.id.not_in(registration_ids)
            )
        )
    )
    gone = sorted(addresses - still_used)
    mail_ids = (
        list(db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.recipient_email.in_(gone))))
        if gone
        else []
    )
    if mail_ids:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(mail_ids)))
    db.session.execute(delete(RegistrationAnswer).where(RegistrationAnswer.registration_id.in_(registration_ids)))
    db.session.execute(delete(RegistrationToken).where(RegistrationToken.registration_id.in_(registration_ids)))
    db.session.execute(
        delete(RequirementConfirmation).where(RequirementConfirmation.registration_id.in_(registration_ids))
    )
    for entry in db.session.scalars(select(AuditEntry).where(AuditEntry.registration_id.in_(registration_ids))):
        audit.forget_person(entry)  # an organiser's note, a name in the parameters, an old English summary
    for registration_id in registration_ids:
        db.session.execute(
            update(Registration)
            .where(Registration.id == registration_id)
            .values(
                name="",
                email=f"{registration_id}{PURGED_DOMAIN}",
                job_title="",
                organisation_number="",
                organisation_key="",  # the key may hold a personnummer
                offer_expires_at=None,
            )
        )
    db.session.flush()
    return mail_ids


def remove_mail_files(mail_ids: Iterable[int]) -> int:
    """Delete the .eml files the file transport wrote for these outbox rows (``instance/mail``)."""
    folder = Path(current_app.instance_path) / "mail"
    removed = 0
    if not folder.is_dir():
        return 0
    for mail_id in mail_ids:
        for path in folder.glob(f"*-{mail_id:08d}.eml"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def erase_registration(
    registration_id: int, *, actor: User | None = None, now: datetime | None = None
) -> list[Registration]:
    """Delete a person's registration and their data (GDPR Art. 17), by themself or by an organiser.

    Locks the event. An active registration of an event not yet over is cancelled first and its seat
    given to the people waiting (their mails go out). Then ``anonymise``; one audit entry that names no
    one ("a removed person: erased by ..."). One transaction; the mail files go after the commit.
    Returns who was given the seat."""
    registration, event = _load_for_change(registration_id)
    now = now or utcnow()
    if registration.email.endswith(PURGED_DOMAIN):
        db.session.rollback()
        raise NotFound()
    moved: list[Registration] = []
    if registration.is_active and not event.is_past():
        had_seat = registration.status is RegistrationStatus.CONFIRMED or registration.has_offer
        transition(registration, RegistrationStatus.CANCELLED, now=now)
        db.session.flush()
        moved = fill_free_seats(event, now=now) if had_seat else []
    audit.record(
        "registration.erased",
        actor=actor,
        event_id=event.id,
        registration_id=registration.id,
        role=AuditRole.ORGANISER if actor is not None else AuditRole.ATTENDEE,
        moved=[r.id for r in moved] or None,
    )
    mail_ids = anonymise([registration.id])
    db.session.commit()
    remove_mail_files(mail_ids)
    return moved


def registrations_of_address(email: str, *, actor: User) -> list[Registration]:
    """The registrations of ``email`` in the events ``actor`` may manage, newest first. One query."""
    address = normalise_email(email)
    if not address:
        return []
    events = manageable_events(actor).with_only_columns(Event.id)
    return list(
        db.session.scalars(
            select(Registration)
            .where(Registration.email == address, Registration.event_id.in_(events))
            .order_by(Registration.id.desc())
        )
    )


def erase_person(email: str, *, actor: User) -> int:
    """An organiser erases everything held about an address in the events they may manage (all events for
    an administrator): each registration is erased as by ``erase_registration``, one transaction each
    (each locks its own event). Returns how many registrations were erased."""
    ids = [r.id for r in registrations_of_address(email, actor=actor)]
    db.session.rollback()
    for registration_id in sorted(ids):
        erase_registration(registration_id, actor=actor)
    return len(ids)
