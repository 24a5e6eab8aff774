"""The registration mails as drafts: written in the use case's transaction, rendered by the mail worker.

``enqueue_registration_mail`` stores what the mail needs that is of the moment it was caused (the
reason, the organiser's note, whether it withdraws the calendar entry, the invitation's SEQUENCE and
DTSTAMP, and the raw personal-link token, whose hash the same transaction stores); ``render`` (registered
with the worker by the app factory: ``mail.drafts.add_renderer``) draws the mail from that and the
registration and event as they are when the worker renders it, with ``messages.registration_mail``, the
same builder as before, so the mail is the same.

What is read at render time: the registration (name, status: a person who cancelled in between gets no
join link in the confirmation), its event (an event edited in between is mailed as it now is; its
updated invitation follows with a higher SEQUENCE), the waiting-list position. The SEQUENCE is the one
counted when the draft was written, so invitations under a registration's UID keep rising in the order
they were caused whatever happens in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eventapp.extensions import db
from eventapp.mail.drafts import Draft, draft_values, enqueue_draft
from eventapp.mail.enums import MailReason
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import RenderedMail
from eventapp.registrations import messages
from eventapp.registrations.models import Registration

#: The ``draft_kind`` of registration mails.
DRAFT_KIND = "registration"


def enqueue_registration_mail(
    registration: Registration,
    reason: MailReason,
    *,
    token: str,
    now: datetime,
    note: str = "",
    withdraw_calendar: bool = False,
) -> OutboxMessage:
    """The mail for ``reason`` as a draft in the caller's transaction (the caller has counted the
    invitation and minted ``token``). Side effects: one outbox row (status draft) holding ``token``."""
    return enqueue_draft(
        kind=f"registration_{reason}",
        draft_kind=DRAFT_KIND,
        about=registration,
        recipient_email=registration.email,
        recipient_name=registration.name,
        locale=registration.locale,
        params=_params(reason, registration.invitation_sequence, now=now, note=note,
                       withdraw_calendar=withdraw_calendar),
        token=token,
    )  # fmt: skip


def registration_mail_values(
    *, email: str, name: str, locale: str, sequence: int, reason: MailReason, token: str, now: datetime
) -> dict[str, Any]:
    """``enqueue_registration_mail`` as the columns of its outbox row, for a registration not yet written
    (the sign-up inserts it with its row, ``registrations.rows``): the same draft, but the ids of the
    registration and event, which the caller adds. ``sequence``: the registration's invitation SEQUENCE."""
    return draft_values(
        kind=f"registration_{reason}",
        draft_kind=DRAFT_KIND,
        recipient_email=email,
        recipient_name=name,
        locale=locale,
        params=_params(reason, sequence, now=now),
        token=token,
    )


def _params(
    reason: MailReason, sequence: int, *, now: datetime, note: str = "", withdraw_calendar: bool = False
) -> dict[str, Any]:
    return {
        "reason": reason.value,
        "note": note,
        "withdraw_calendar": withdraw_calendar,
        "sequence": sequence,
        "now": now.isoformat(),
    }


@dataclass
class Batch:
    """What ``preload`` keeps for one batch of drafts: its registrations (loaded with their events in
    one query each, they stay in the session's identity map) and the memo in which
    ``messages.registration_mail`` keeps what the batch's mails share (the batch is one transaction)."""

    registrations: list[Registration]
    memo: dict[tuple[object, ...], object] = field(default_factory=dict)


def render(draft: Draft, batch: Batch | None = None) -> RenderedMail | None:
    """The mail of a registration draft; None when the registration is gone (deleted, or purged: its
    drafts are deleted with it, so this is a draft that raced the purge). ``batch``: what ``preload``
    returned for the batch the draft is in."""
    registration = db.session.get(Registration, draft.registration_id) if draft.registration_id else None
    if registration is None or draft.token is None:
        return None
    params = draft.params
    return messages.registration_mail(
        registration,
        MailReason(params["reason"]),
        token=draft.token,
        now=datetime.fromisoformat(params["now"]),
        note=params.get("note", ""),
        withdraw_calendar=bool(params.get("withdraw_calendar")),
        sequence=params.get("sequence"),
        memo=None if batch is None else batch.memo,
    )


def preload(drafts: Sequence[Draft]) -> Batch:
    """The registrations of a batch of drafts with their events, in one query each, and a fresh memo."""
    ids = {d.registration_id for d in drafts if d.registration_id is not None}
    if not ids:
        return Batch([])
    return Batch(
        list(
            db.session.scalars(
                select(Registration).where(Registration.id.in_(ids)).options(selectinload(Registration.event))
            )
        )
    )
