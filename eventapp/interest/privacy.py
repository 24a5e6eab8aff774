"""GDPR requests about interest lists, for the back office's personal-data page (``manage.privacy_views``):
find an address's subscriptions (pending and confirmed) in the programmes an organiser may manage (every
programme for an administrator), describe them for the data download, and erase them.

Erasing is the same purge as leaving the list (``services._purge``): the row, its links and every mail
written to it (outbox rows, then the .eml files after the commit). Nothing is kept flagged. One audit
entry per programme says that a person's subscription was erased, naming no one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.addresses import normalise_email
from eventapp.extensions import db
from eventapp.interest.models import InterestSubscription
from eventapp.interest.services import _purge, _remove_mail_files
from eventapp.programmes.models import Programme
from eventapp.programmes.permissions import manageable_programmes
from eventapp.transactions import use_case


def _at(value) -> str | None:
    return value.isoformat() if value is not None else None


def subscriptions_of_address(email: str, *, actor: User) -> list[InterestSubscription]:
    """The subscriptions of ``email``, pending and confirmed, in the programmes ``actor`` may manage, by
    programme title, with their programmes. One query."""
    address = normalise_email(email)
    if not address:
        return []
    programmes = manageable_programmes(actor).with_only_columns(Programme.id)
    return list(
        db.session.scalars(
            select(InterestSubscription)
            .join(InterestSubscription.programme)
            .options(contains_eager(InterestSubscription.programme))
            .where(InterestSubscription.email == address, InterestSubscription.programme_id.in_(programmes))
            .order_by(Programme.title, Programme.id)
        )
    )


def held_about(subscriptions: Sequence[InterestSubscription]) -> list[dict[str, Any]]:
    """The subscriptions as the data download gives them (no query: the programmes are loaded)."""
    return [
        {
            "programme": {"title": s.programme.title, "slug": s.programme.slug},
            "status": s.status.value,
            "language": s.locale,
            "name": s.name,
            "email": s.email,
            "organisation": s.organisation,
            "requested_at": _at(s.requested_at),
            "consent_given_at": _at(s.confirmed_at),
            "privacy_statement_version": s.privacy_version,
        }
        for s in subscriptions
    ]


@use_case
def erase_address(email: str, *, actor: User) -> int:
    """Delete the subscriptions of ``email`` in the programmes ``actor`` may manage, with their links and
    mails; one audit entry per programme, naming no one. One transaction. Returns how many were deleted."""
    subscriptions = subscriptions_of_address(email, actor=actor)
    if not subscriptions:
        db.session.rollback()
        return 0
    for subscription in subscriptions:
        audit.record("interest.erased", actor=actor, event_id=None, programme_id=subscription.programme_id)
    mail_ids = _purge([s.id for s in subscriptions])
    db.session.commit()
    _remove_mail_files(mail_ids)
    return len(subscriptions)
