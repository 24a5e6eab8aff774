"""Programme news: an organiser's message to a programme's confirmed subscribers, written in one or more
languages, each subscriber getting the version in their language (else the fallback version). It reuses
the mailings machinery: a ``Mailing`` row (with ``programme_id`` instead of ``event_id``) whose outbox rows
carry its id, so its delivery progress is ``mailings.queries.progress_of``."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.interest import queries
from eventapp.interest.enums import MAIL_NEWS
from eventapp.interest.messages import announce
from eventapp.mailings.models import Mailing
from eventapp.mailings.services import BODY_MAX, RESEND_GUARD, SUBJECT_MAX
from eventapp.programmes.models import Programme
from eventapp.urls import absolute_url


@dataclass(frozen=True)
class NewsVersion:
    subject: str
    body: str


def check(versions: dict[str, NewsVersion], fallback: str) -> dict[str, NewsVersion]:
    """The written versions (a subject without a message, or the reverse, is refused at its field), with the
    fallback among them. Raises ValidationFailed."""
    written: dict[str, NewsVersion] = {}
    for locale, version in versions.items():
        subject, body = version.subject.strip()[:SUBJECT_MAX], version.body.strip()[:BODY_MAX]
        if subject and not body:
            raise ValidationFailed(f"body_{locale}", str(_l("Write the message.")))
        if body and not subject:
            raise ValidationFailed(f"subject_{locale}", str(_l("Write a subject line.")))
        if subject:
            written[locale] = NewsVersion(subject, body)
    if not written:
        raise ValidationFailed("fallback", str(_l("Write the news in at least one language.")))
    if fallback not in written:
        raise ValidationFailed("fallback", str(_l("Choose a language you have written the news in.")))
    return written


def send_news(
    programme_id: int,
    *,
    versions: dict[str, NewsVersion],
    fallback: str,
    actor: User,
    expected: int | None = None,
) -> Mailing:
    """Write one mail per confirmed subscriber (their language's version, else ``fallback``'s) to the outbox,
    with the mailing row and an audit entry, in one transaction. ``expected`` is the number the organiser
    saw in the preview: if the list changed since, nothing is sent (ValidationFailed says so)."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise NotFound()
    written = check(versions, fallback)
    people = queries.counts(programme_id).confirmed
    if people == 0:
        raise ValidationFailed("fallback", str(_l("Nobody has confirmed a subscription to this list yet.")))
    if expected is not None and expected != people:
        raise ValidationFailed("fallback", ngettext(
            "Since your preview the list has changed: it is now %(num)d person. Look at the preview again, then "
            "send.", "Since your preview the list has changed: it is now %(num)d people. Look at the preview "
            "again, then send.", people))  # fmt: skip
    main = written[fallback]
    since = utcnow() - RESEND_GUARD
    if db.session.scalar(select(Mailing.id).where(Mailing.programme_id == programme_id, Mailing.subject == main.subject,
                                                  Mailing.body == main.body, Mailing.created_at >= since)):  # fmt: skip
        raise ValidationFailed("fallback", str(_l("You sent this same message to the same people a few minutes ago. "
                                                  "It is not sent twice.")))  # fmt: skip
    mailing = Mailing(programme_id=programme_id, event_id=None, author_id=actor.id, subject=main.subject,
                      body=main.body, statuses=[], versions={k: {"subject": v.subject, "body": v.body}
                                                             for k, v in written.items()})  # fmt: skip
    db.session.add(mailing)
    db.session.flush()

    def version(locale: str) -> NewsVersion:
        return written.get(locale, main)

    sent = announce(
        programme,
        kind=MAIL_NEWS,
        template="interest_news",
        subject=lambda locale: version(locale).subject,
        context=lambda locale: {"body": version(locale).body,
                                "programme_url": absolute_url("programmes.detail", slug=programme.slug)},
        mailing_id=mailing.id,
    )  # fmt: skip
    mailing.recipient_count = sent
    audit.record("interest.news_sent", actor=actor, event_id=None, programme_id=programme_id,
                 mailing_id=mailing.id, recipients=sent, subject=main.subject)  # fmt: skip
    db.session.commit()
    return mailing


def news_of_programme(programme_id: int) -> list[Mailing]:
    """The programme's news, newest first. One query."""
    return list(
        db.session.scalars(
            select(Mailing)
            .where(Mailing.programme_id == programme_id)
            .order_by(Mailing.created_at.desc(), Mailing.id.desc())
        )
    )
