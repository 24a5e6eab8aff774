"""Interest lists: asking to be kept informed, confirming, changing the language, leaving; organisers removing
a person; the chore that deletes requests nobody confirmed. Each use case is one transaction.

Decisions:
- **Double opt-in.** A request is stored as pending and answered with a confirmation mail; it counts only
  once the person opens the link and confirms (a button on that page: mail scanners that open every link
  confirm nothing). Unconfirmed requests are deleted after ``EXPIRY``.
- **The form tells nobody anything.** A new, a pending and a confirmed address get the same answer on the
  page. A pending one gets its confirmation again; a confirmed one gets a short "you already follow" mail
  with the link to their page (what newsletter services do), never a second confirmation; both at most
  ``MAILS_PER_HOUR`` times an hour per address and programme. Nothing about a confirmed subscription
  changes through the form.
- **Leaving purges.** Unsubscribing (from a mail, one click, or the person's page) and an organiser's
  removal delete the row, its links and every mail written to it (outbox rows and .eml files).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from eventapp.about.privacy import VERSION as PRIVACY_VERSION
from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import NotFound
from eventapp.extensions import db
from eventapp.i18n import LOCALE_NAMES
from eventapp.interest import messages
from eventapp.interest.enums import MAIL_ALREADY, MAIL_CONFIRM, SubscriptionStatus, TokenPurpose
from eventapp.interest.models import InterestSubscription, InterestToken
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import enqueue
from eventapp.programmes.models import Programme
from eventapp.security import hash_token, looks_like_token, new_token

log = logging.getLogger(__name__)

#: An unconfirmed request is deleted this long after it was made.
EXPIRY = timedelta(days=7)
#: Confirmation and "you already follow" mails per address and programme in an hour, at most.
MAILS_PER_HOUR = 3


@dataclass(frozen=True)
class InterestRequest:
    """What the "Keep me informed" form holds, checked: the address normalised, the language one of ours."""

    name: str
    email: str
    organisation: str
    locale: str


def mint_token(subscription: InterestSubscription, purpose: TokenPurpose) -> str:
    """A new link for ``subscription`` (its hash joins the session); earlier links keep working."""
    token = new_token()
    db.session.add(InterestToken(subscription=subscription, token_hash=hash_token(token), purpose=purpose))
    return token


def by_token(token: str, purpose: TokenPurpose) -> InterestSubscription | None:
    """The subscription a link of ``purpose`` opens, with its programme. One query (none for a malformed token)."""
    if not looks_like_token(token):
        return None
    return db.session.scalars(
        select(InterestSubscription)
        .join(InterestToken, InterestToken.subscription_id == InterestSubscription.id)
        .where(InterestToken.token_hash == hash_token(token), InterestToken.purpose == purpose)
    ).one_or_none()


def _mails_in_the_last_hour(subscription_id: int, now: datetime) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.interest_subscription_id == subscription_id,
                OutboxMessage.kind.in_((MAIL_CONFIRM, MAIL_ALREADY)),
                OutboxMessage.created_at > now - timedelta(hours=1),
            )
        )
        or 0
    )


def subscribe(programme_id: int, data: InterestRequest, *, now: datetime | None = None) -> None:
    """Someone asks to be kept informed about a programme. Returns nothing, on purpose: the caller answers
    the same whatever happened. Raises NotFound for an unknown programme.

    Side effects: a new address becomes a pending subscription with a confirmation link and mail; a pending
    one gets its details updated and the confirmation mail again; a confirmed one gets a "you already
    follow" mail with a link to its page (both mails limited by ``MAILS_PER_HOUR``)."""
    now = now or utcnow()
    if data.locale not in LOCALE_NAMES:
        raise ValueError("unknown language")
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    for attempt in range(2):
        subscription = db.session.scalars(
            select(InterestSubscription).where(
                InterestSubscription.programme_id == programme_id, InterestSubscription.email == data.email
            )
        ).one_or_none()
        try:
            _subscribe(programme, subscription, data, now=now)
            db.session.commit()
            return
        except IntegrityError:  # the same address asked at the same moment in another request
            db.session.rollback()
            programme = db.session.get(Programme, programme_id)
            if attempt or programme is None:
                raise


def _subscribe(
    programme: Programme, subscription: InterestSubscription | None, data: InterestRequest, *, now: datetime
) -> None:
    if subscription is None:
        subscription = InterestSubscription(
            programme=programme, email=data.email, name=data.name, organisation=data.organisation,
            locale=data.locale, status=SubscriptionStatus.PENDING, privacy_version=PRIVACY_VERSION,
            requested_at=now,
        )  # fmt: skip
        db.session.add(subscription)
        db.session.flush()
    elif subscription.status is SubscriptionStatus.PENDING:
        subscription.name, subscription.organisation = data.name, data.organisation
        subscription.locale, subscription.privacy_version = data.locale, PRIVACY_VERSION
        subscription.requested_at = now  # asked again: the week starts again
    if _mails_in_the_last_hour(subscription.id, now) >= MAILS_PER_HOUR:
        return
    if subscription.is_confirmed:
        mail = messages.already_following(subscription, token=mint_token(subscription, TokenPurpose.MANAGE))
    else:
        mail = messages.confirmation(subscription, token=mint_token(subscription, TokenPurpose.CONFIRM))
    row = enqueue(mail)
    row.interest_subscription_id = subscription.id


def confirm(token: str, *, now: datetime | None = None) -> str | None:
    """The person confirms their request (a second time changes nothing). Returns a new link to their page,
    or None when the link is unknown (mistyped, or the request expired or was withdrawn).

    Side effects: the subscription becomes confirmed, with the moment and the privacy statement's version
    (their consent); a new page link."""
    subscription = by_token(token, TokenPurpose.CONFIRM)
    if subscription is None:
        db.session.rollback()
        return None
    if not subscription.is_confirmed:
        subscription.status = SubscriptionStatus.CONFIRMED
        subscription.confirmed_at = now or utcnow()
        subscription.privacy_version = PRIVACY_VERSION
    page_token = mint_token(subscription, TokenPurpose.MANAGE)
    db.session.commit()
    return page_token


def subscriptions_of_address(email: str) -> list[InterestSubscription]:
    """Every programme an address follows (confirmed), by programme title, with the programmes. One query."""
    return list(
        db.session.scalars(
            select(InterestSubscription)
            .join(Programme, Programme.id == InterestSubscription.programme_id)
            .where(InterestSubscription.email == email, InterestSubscription.status == SubscriptionStatus.CONFIRMED)
            .order_by(Programme.title, Programme.id)
        )
    )


def change_language(token: str, locale: str) -> bool:
    """The person chooses the language of their mail: every subscription of their address takes it.
    Returns False (nothing changed) for an unknown link or language."""
    subscription = by_token(token, TokenPurpose.MANAGE)
    if subscription is None or locale not in LOCALE_NAMES:
        db.session.rollback()
        return False
    for each in db.session.scalars(
        select(InterestSubscription).where(InterestSubscription.email == subscription.email)
    ):
        each.locale = locale
    db.session.commit()
    return True


def _purge(subscription_ids: list[int]) -> list[int]:
    """Delete these subscriptions, their links and every mail written to them (flush only). Returns the
    ids of the deleted mails, whose .eml files go after the commit."""
    if not subscription_ids:
        return []
    mail_ids = list(
        db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.interest_subscription_id.in_(subscription_ids)))
    )
    if mail_ids:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.id.in_(mail_ids)))
    db.session.execute(delete(InterestToken).where(InterestToken.subscription_id.in_(subscription_ids)))
    db.session.execute(delete(InterestSubscription).where(InterestSubscription.id.in_(subscription_ids)))
    return mail_ids


def _remove_mail_files(mail_ids: list[int]) -> None:
    from eventapp.registrations.privacy import remove_mail_files

    remove_mail_files(mail_ids)


def unsubscribe(token: str, *, subscription_id: int | None = None) -> bool:
    """The person leaves a programme's list: the one their link belongs to, or ``subscription_id`` (another
    programme of the same address, from their page). Doing it twice is harmless. Returns whether something
    was deleted. Side effects: the subscription, its links and its mails are deleted."""
    owner = by_token(token, TokenPurpose.MANAGE)
    if owner is None:
        db.session.rollback()
        return False
    subscription: InterestSubscription | None = owner
    if subscription_id is not None and subscription_id != owner.id:
        subscription = db.session.get(InterestSubscription, subscription_id)
    if subscription is None or subscription.email != owner.email:
        db.session.rollback()
        return False
    mail_ids = _purge([subscription.id])
    db.session.commit()
    _remove_mail_files(mail_ids)
    return True


def remove_subscriber(subscription_id: int, *, programme_id: int, actor: User) -> None:
    """An organiser removes a person from a programme's list (everything about them goes). Raises NotFound.
    Side effects: the subscription, its links and mails deleted; an audit entry naming no one."""
    subscription = db.session.get(InterestSubscription, subscription_id)
    if subscription is None or subscription.programme_id != programme_id:
        raise NotFound()
    mail_ids = _purge([subscription.id])
    audit.record("interest.removed", actor=actor, event_id=None, programme_id=programme_id)
    db.session.commit()
    _remove_mail_files(mail_ids)


def expire_requests(*, now: datetime | None = None) -> int:
    """For the worker (and ``flask interest-expire``): requests not confirmed within ``EXPIRY`` are deleted
    with their links and mails. One transaction. Returns how many."""
    cutoff = (now or utcnow()) - EXPIRY
    ids = list(
        db.session.scalars(
            select(InterestSubscription.id).where(
                InterestSubscription.status == SubscriptionStatus.PENDING, InterestSubscription.requested_at < cutoff
            )
        )
    )
    mail_ids = _purge(ids)
    db.session.commit()
    _remove_mail_files(mail_ids)
    return len(ids)


def worker_chore() -> Callable[[], int]:
    """For the mail worker (registered with ``mail.worker.add_chore``): delete expired requests, and say so."""

    def _chore() -> int:
        expired = expire_requests()
        if expired:
            log.info("chores: %d unconfirmed interest-list requests deleted", expired)
        return expired

    return _chore
