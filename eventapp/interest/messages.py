"""The interest list's mails: the confirmation of a request, "you already follow", and the list mails
(an event published, materials published, programme news) written to every confirmed subscriber at once.

List mails are rendered once per language with placeholders for the person's name and links, then filled
in per person and inserted in bulk (``announce``): publishing to 5,000 subscribers is one transaction of
two multi-row INSERTs (bench/interest.py measures it). Each carries a new link to the person's page and
its one-click unsubscribe address, also sent as ``List-Unsubscribe`` (RFC 8058).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from email.utils import parseaddr
from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import insert, select

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.interest.enums import MAIL_ALREADY, MAIL_CONFIRM, SubscriptionStatus, TokenPurpose
from eventapp.interest.models import InterestSubscription, InterestToken
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.messages import render
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import RenderedMail
from eventapp.security import hash_token, new_token
from eventapp.urls import absolute_url

if TYPE_CHECKING:
    from eventapp.programmes.models import Programme

#: Stand-ins rendered into a language's mail and replaced per person (no character of them is escaped).
NAME = "@@interest-name-7f3a@@"
TOKEN = "interest-token-7f3a"  # noqa: S105 - a stand-in replaced by each person's token, not a secret


def _single(kind: str, subscription: InterestSubscription, *, subject: str, template: str, **context: object):
    text, html = render(template, locale=subscription.locale, subscription=subscription,
                        programme=subscription.programme, **context)  # fmt: skip
    return RenderedMail(kind=kind, recipient_email=subscription.email, recipient_name=subscription.name,
                        locale=subscription.locale, subject=subject, body_text=text, body_html=html)  # fmt: skip


def confirmation(subscription: InterestSubscription, *, token: str) -> RenderedMail:
    """ "Please confirm": the link that makes the request count, in the language chosen on the form."""
    with force_locale(subscription.locale):
        subject = _("Please confirm: news about %(programme)s", programme=subscription.programme.title)
    return _single(MAIL_CONFIRM, subscription, subject=subject, template="interest_confirm",
                   confirm_url=absolute_url("interest.confirm", token=token), days=7)  # fmt: skip


def already_following(subscription: InterestSubscription, *, token: str) -> RenderedMail:
    """Someone asked again for an address that already follows the programme: no second confirmation, the
    link to the person's page instead."""
    with force_locale(subscription.locale):
        subject = _("You already follow %(programme)s", programme=subscription.programme.title)
    return _single(MAIL_ALREADY, subscription, subject=subject, template="interest_already",
                   page_url=absolute_url("interest.page", token=token))  # fmt: skip


def announce(
    programme: Programme,
    *,
    kind: str,
    template: str,
    subject: Callable[[str], str],
    context: Callable[[str], dict[str, object]] | None = None,
    event_id: int | None = None,
    mailing_id: int | None = None,
    locales: set[str] | None = None,
) -> int:
    """Write ``template`` to every confirmed subscriber of ``programme`` in the caller's transaction (flush
    only): one render per language (``subject(locale)`` and ``context(locale)``), then per person their
    name, a new page link and the one-click unsubscribe address, as two bulk INSERTs (links, outbox rows).
    ``locales``: only subscribers of these languages. Returns how many mails."""
    stmt = select(InterestSubscription.id, InterestSubscription.email, InterestSubscription.name,
                  InterestSubscription.locale).where(
        InterestSubscription.programme_id == programme.id,
        InterestSubscription.status == SubscriptionStatus.CONFIRMED,
    ).order_by(InterestSubscription.id)  # fmt: skip
    people_by_locale: dict[str, list] = defaultdict(list)
    for row in db.session.execute(stmt):
        if locales is None or row.locale in locales:
            people_by_locale[row.locale].append(row)
    if not people_by_locale:
        return 0
    page_url = absolute_url("interest.page", token=TOKEN)
    unsubscribe_url = absolute_url("interest.unsubscribe", token=TOKEN)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "eventapp.invalid"
    now = utcnow()
    tokens: list[dict] = []
    mails: list[dict] = []
    for locale, people in people_by_locale.items():
        extra = context(locale) if context is not None else {}
        text, html = render(template, locale=locale, programme=programme, name=NAME, page_url=page_url,
                            unsubscribe_url=unsubscribe_url, **extra)  # fmt: skip
        with force_locale(locale):
            title = subject(locale)
        for person in people:
            token = new_token()
            tokens.append({"subscription_id": person.id, "token_hash": hash_token(token),
                           "purpose": TokenPurpose.MANAGE, "created_at": now})  # fmt: skip
            mails.append({
                "message_id": f"<{uuid.uuid4().hex}@{domain}>", "kind": kind, "mailing_id": mailing_id,
                "event_id": event_id, "interest_subscription_id": person.id,
                "list_unsubscribe": unsubscribe_url.replace(TOKEN, token),
                "recipient_email": person.email, "recipient_name": person.name, "sender": sender,
                "locale": locale, "subject": title,
                "body_text": text.replace(NAME, person.name).replace(TOKEN, token),
                "body_html": html.replace(NAME, str(escape(person.name))).replace(TOKEN, token),
                "status": OutboxStatus.PENDING, "attempts": 0, "next_attempt_at": now, "created_at": now,
                "last_error": "",
            })  # fmt: skip
    db.session.execute(insert(InterestToken), tokens)
    db.session.execute(insert(OutboxMessage), mails)
    return len(mails)
