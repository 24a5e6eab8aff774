"""The interest list's mails: the confirmation of a request, "you already follow", and the list mails
(an event published, materials published, programme news) written to every confirmed subscriber at once.

List mails are rendered once per language with placeholders for the person's name and links, then filled
in per person and inserted in bulk (``announce``): publishing to 5,000 subscribers is one transaction of
two multi-row INSERTs (bench/interest.py measures it). Each carries a new link to the person's page and
its one-click unsubscribe address, also sent as ``List-Unsubscribe`` (RFC 8058).
"""

from __future__ import annotations

import base64
import os
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection
from email.utils import parseaddr
from typing import cast

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import Table, insert, select

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.interest.enums import MAIL_ALREADY, MAIL_CONFIRM, SubscriptionStatus, TokenPurpose
from eventapp.interest.models import InterestSubscription, InterestToken
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.messages import render
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import RenderedMail
from eventapp.programmes.models import Programme
from eventapp.security import TOKEN_BYTES, hash_token
from eventapp.urls import absolute_url

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
    exclude_emails: Collection[str] = (),
) -> int:
    """Write ``template`` to every confirmed subscriber of ``programme`` in the caller's transaction (flush
    only): one render per language (``subject(locale)`` and ``context(locale)``), then per person their
    name, a new page link and the one-click unsubscribe address, as two bulk INSERTs (links, outbox rows).
    ``locales``: only subscribers of these languages; ``exclude_emails``: not these addresses (they hear of
    it otherwise). Returns how many mails."""
    stmt = select(InterestSubscription.id, InterestSubscription.email, InterestSubscription.name,
                  InterestSubscription.locale).where(
        InterestSubscription.programme_id == programme.id,
        InterestSubscription.status == SubscriptionStatus.CONFIRMED,
    ).order_by(InterestSubscription.id)  # fmt: skip
    people_by_locale: dict[str, list] = defaultdict(list)
    excluded = {address.lower() for address in exclude_emails}
    for row in db.session.execute(stmt):
        if (locales is None or row.locale in locales) and row.email.lower() not in excluded:
            people_by_locale[row.locale].append(row)
    if not people_by_locale:
        return 0
    page_url = absolute_url("interest.page", token=TOKEN)
    unsubscribe_url = absolute_url("interest.unsubscribe", token=TOKEN)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    domain = parseaddr(sender)[1].rpartition("@")[2] or "eventapp.invalid"
    batch = uuid.uuid4().hex  # Message-IDs <batch.n@domain>: unique without a uuid per mail
    count = sum(len(people) for people in people_by_locale.values())
    random_bytes = os.urandom(TOKEN_BYTES * count)  # one system call for every new link
    now = utcnow()
    tokens: list[tuple] = []
    mails: list[tuple] = []
    pending, manage = OutboxStatus.PENDING.value, TokenPurpose.MANAGE.value
    n = 0
    for locale, people in people_by_locale.items():
        extra = context(locale) if context is not None else {}
        text, html = render(template, locale=locale, programme=programme, name=NAME, page_url=page_url,
                            unsubscribe_url=unsubscribe_url, **extra)  # fmt: skip
        with force_locale(locale):
            title = subject(locale)
        for person in people:
            token = base64.urlsafe_b64encode(random_bytes[n * TOKEN_BYTES : (n + 1) * TOKEN_BYTES]).decode("ascii")
            n += 1
            tokens.append((person.id, hash_token(token), manage, now))
            mails.append((
                f"<{batch}.{n}@{domain}>", kind, mailing_id, event_id, person.id,
                unsubscribe_url.replace(TOKEN, token), person.email, person.name, sender, locale, title,
                text.replace(NAME, person.name).replace(TOKEN, token),
                html.replace(NAME, str(escape(person.name))).replace(TOKEN, token),
                pending, 0, now, now, "",
            ))  # fmt: skip
    bulk_insert(cast(Table, InterestToken.__table__), _TOKEN_COLUMNS, tokens)
    bulk_insert(cast(Table, OutboxMessage.__table__), _MAIL_COLUMNS, mails)
    return len(mails)


_TOKEN_COLUMNS = ("subscription_id", "token_hash", "purpose", "created_at")
_MAIL_COLUMNS = (
    "message_id", "kind", "mailing_id", "event_id", "interest_subscription_id", "list_unsubscribe",
    "recipient_email", "recipient_name", "sender", "locale", "subject", "body_text", "body_html", "status",
    "attempts", "next_attempt_at", "created_at", "last_error",
)  # fmt: skip


def bulk_insert(table: Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Insert ``rows`` (tuples of plain values in the order of ``columns``) into ``table`` in the session's
    transaction.

    PostgreSQL: one ``COPY ... FROM STDIN`` (psycopg 3), well ahead of an executemany of 5,000 INSERTs
    (bench/interest.py: 2.8 s for the publication against about 2; multi-row INSERT ... VALUES with RETURNING
    was slower still, 8 s, from binding 20,000 parameters a statement). SQLite: executemany, in process."""
    if not rows:
        return
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        connection.execute(insert(table), [dict(zip(columns, row, strict=True)) for row in rows])
        return
    names = ", ".join(f'"{name}"' for name in columns)
    raw = connection.connection.driver_connection  # psycopg 3's connection: the driver of PostgreSQL here
    if raw is None:
        raise RuntimeError("a checked-out connection has no driver connection")
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
