"""Reads for GDPR access requests (Art. 15): everything held about a person, as plain JSON-ready data.

What is given: each registration (with its event, answers and requirement confirmations), the mails sent
to the address (subject, kind, times, status; not the bodies, which only repeat the registration), and the
audit entries about the registrations (what happened, when, and by which role).
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.about import privacy
from eventapp.accounts.models import AuditEntry
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail import drafts
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.registrations.models import Registration, RegistrationAnswer, RequirementConfirmation


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _registration(registration: Registration, confirmations: Sequence[RequirementConfirmation]) -> dict[str, Any]:
    event = registration.event
    texts = {r.id: r.text for r in event.requirements}
    return {
        "event": {"title": event.title, "slug": event.slug, "starts_at": _at(event.starts_at)},
        "status": registration.status.value,
        "name": registration.name,
        "email": registration.email,
        "organisation": registration.organisation,
        "organisation_type": registration.organisation_type.value,
        "country": registration.country,
        "job_title": registration.job_title,
        "organisation_number": registration.organisation_number,
        "language": registration.locale,
        "signed_up_at": _at(registration.created_at),
        "privacy_statement_accepted_at": _at(registration.privacy_accepted_at),
        "privacy_statement_version": registration.privacy_version,
        "checked_in_at": _at(registration.checked_in_at),
        "answers": [
            {"question": answer.question.label, "answer": answer.value}
            for answer in sorted(registration.answers, key=lambda a: (a.question.position, a.question_id))
        ],
        "requirement_confirmations": [
            {"requirement": texts.get(c.requirement_id, ""), "confirmed_at": _at(c.confirmed_at)} for c in confirmations
        ],
    }


def _subject(mail: OutboxMessage) -> str:
    """The mail's subject; for a draft not yet written by the mail worker, the subject it will have."""
    if mail.status is not OutboxStatus.DRAFT:
        return mail.subject
    written = drafts.preview(mail)
    return written.subject if written is not None else ""


def held_about(registrations: Sequence[Registration], *, address: str = "") -> dict[str, Any]:
    """Everything held about the people of these registrations (one person: same address). Four queries.
    ``address``: the person's address, whose mails are given even without a registration (a subscriber
    of an interest list, whose subscriptions the back office adds)."""
    ids = [r.id for r in registrations]
    addresses = sorted({r.email for r in registrations} | ({address} if address else set()))
    db.session.scalars(
        select(Registration)
        .where(Registration.id.in_(ids))
        .options(
            selectinload(Registration.answers).selectinload(RegistrationAnswer.question),
            selectinload(Registration.confirmations),
        )
    ).all()
    mails = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient_email.in_(addresses)).order_by(OutboxMessage.id)
    ).all()
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.registration_id.in_(ids)).order_by(AuditEntry.id)
    ).all()
    return {
        "exported_at": _at(utcnow()),
        "current_privacy_statement_version": privacy.VERSION,
        "registrations": [_registration(r, r.confirmations) for r in registrations],
        "mails": [
            {
                "subject": _subject(m),
                "kind": m.kind,
                "created_at": _at(m.created_at),
                "sent_at": _at(m.sent_at),
                "status": m.status.value,
            }
            for m in mails
        ],
        "audit": [
            {
                "at": _at(e.created_at),
                "action": e.action,
                "by": e.actor_role.value,
                "note": (e.details or {}).get("note", ""),
            }
            for e in entries
        ],
    }


def as_json_file(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def file_name(stem: str) -> str:
    """A safe ASCII download name (``my-data-<stem>-<date>.json``)."""
    cleaned = re.sub(r"[^A-Za-z0-9-]+", "-", stem).strip("-")[:60] or "data"
    return f"my-data-{cleaned}-{utcnow():%Y-%m-%d}.json"
