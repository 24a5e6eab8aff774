"""Writing to a programme's confirmed subscribers when one of its events is published, or its materials are
(each at most once per event), and when more materials follow (materialnews' daily batch), connected to
the lower layers' signals so they never import this one. The receivers run inside the sender's transaction,
before its commit: the mails are committed with the publication (or the batch) or not at all."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.interest.enums import MAIL_EVENT, MAIL_MATERIALS, MAIL_NEW_MATERIALS, Announcement
from eventapp.interest.messages import announce
from eventapp.interest.models import InterestAnnouncement
from eventapp.materialnews.mails import public_link
from eventapp.materialnews.signals import material_news_batch
from eventapp.materials.queries import AgendaMaterials, MaterialsSection
from eventapp.programmes.models import Programme
from eventapp.urls import absolute_url


def _first_time(event: Event, reason: Announcement) -> InterestAnnouncement | None:
    """The announcement's row, or None when this event was announced for this reason before (also when
    another transaction is announcing it at this moment: a savepoint keeps the publication itself)."""
    done = db.session.scalar(
        select(InterestAnnouncement.id).where(
            InterestAnnouncement.event_id == event.id, InterestAnnouncement.reason == reason
        )
    )
    if done is not None:
        return None
    row = InterestAnnouncement(event_id=event.id, reason=reason)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return None
    return row


def _event_context(event: Event, locale: str, anchor: str = "") -> dict[str, object]:
    return {
        "event": event,
        "content": event.content(locale),
        "start": event.local_starts_at,
        "end": event.local_ends_at,
        "event_url": absolute_url("events.detail", slug=event.slug) + anchor,
    }


def announce_event(event: Event) -> int:
    """Receiver of ``event_published``: "a new event in <programme>" to each confirmed subscriber, in
    their language. Flush only. Returns how many mails."""
    if event.programme_id is None:
        return 0
    row = _first_time(event, Announcement.EVENT_PUBLISHED)
    if row is None:
        return 0
    programme = db.session.get(Programme, event.programme_id)
    if programme is None:  # the event's programme is a foreign key: here only if deleted in this transaction
        return 0
    row.recipients = announce(
        programme,
        kind=MAIL_EVENT,
        template="interest_event",
        subject=lambda locale: _("New event: %(title)s", title=event.content(locale).title),
        context=lambda locale: _event_context(event, locale),
        event_id=event.id,
    )
    return row.recipients


def announce_materials(event: Event) -> int:
    """Receiver of ``materials_published``: "the recording and slides of <event> are online". Flush only."""
    if event.programme_id is None:
        return 0
    row = _first_time(event, Announcement.MATERIALS_PUBLISHED)
    if row is None:
        return 0
    programme = db.session.get(Programme, event.programme_id)
    if programme is None:  # the event's programme is a foreign key: here only if deleted in this transaction
        return 0
    row.recipients = announce(
        programme,
        kind=MAIL_MATERIALS,
        template="interest_materials",
        subject=lambda locale: _("Materials online: %(title)s", title=event.content(locale).title),
        context=lambda locale: _event_context(event, locale, "#materials"),
        event_id=event.id,
    )
    return row.recipients


def public_part(news: MaterialsSection) -> MaterialsSection:
    """What of ``news`` everyone may see (a subscriber is not an attendee), in the same groups and order."""

    def public(items: list[Any]) -> list[Any]:
        return [shown for shown in items if shown.is_public]

    agenda = [AgendaMaterials(group.item, public(group.materials)) for group in news.agenda]
    return replace(news, recordings=public(news.recordings), agenda=[group for group in agenda if group.materials],
                   boards=public(news.boards), documents=public(news.documents), links=public(news.links))  # fmt: skip


def announce_new_materials(
    event: Event, *, news: MaterialsSection, attendees: Collection[str], **_extra: object
) -> int:
    """Receiver of materialnews' ``material_news_batch`` (at most one a day per event): the public part of
    the news to the programme's confirmed subscribers, each in their language, with the list's footer and
    one-click unsubscribe (``List-Unsubscribe``), leaving out ``attendees`` (they get their own mail, or
    opted out: one mail, not two). Flush only. Returns how many mails."""
    if event.programme_id is None or not event.is_public:
        return 0
    shown = public_part(news)
    if not shown:
        return 0
    programme = db.session.get(Programme, event.programme_id)
    if programme is None:
        return 0

    def context(locale: str) -> dict[str, object]:
        return {**_event_context(event, locale, "#materials"), "section": shown, "link": public_link}

    return announce(
        programme,
        kind=MAIL_NEW_MATERIALS,
        template="interest_new_materials",
        subject=lambda locale: _("New materials: %(title)s", title=event.content(locale).title),
        context=context,
        event_id=event.id,
        exclude_emails=attendees,
    )


def _on_event_published(event: Event, **_extra: object) -> None:
    announce_event(event)


def _on_materials_published(event: Event, **_extra: object) -> None:
    announce_materials(event)


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    from eventapp.events import signals

    signals.event_published.connect(_on_event_published, weak=False)
    signals.materials_published.connect(_on_materials_published, weak=False)
    material_news_batch.connect(announce_new_materials, weak=False)
