"""Materials that arrive late: after the follow-up mail, attendees who got it hear of newly published
materials at most once a day, in one mail listing what is new, unless they opted out.

Rules (``send_new_materials``, run by the worker; ``now`` moves time in tests):

* News is a material that attendees may see (``followup_section``) and that no mail has listed yet
  (no ``MaterialAnnouncement``). The follow-up mail records everything it lists (``record_announced``).
* An event's news goes out at most once per calendar day of the event's time zone, and never on the day
  of the follow-up mail itself: slides published the same afternoon wait for the next morning's batch,
  so two late decks give one mail, the next day.
* It goes to the confirmed people who got the follow-up mail (confirmed when it was written), minus
  those who opted out, each with their own link; and, in the same batch (so at most once a day per event),
  to the confirmed (double opt-in) subscribers of the event's programme (the ``material_news_batch``
  signal, received by ``interest.announcements.announce_new_materials``): its
  public part, in their language, with the List-Unsubscribe headers. A subscriber whose address got the
  follow-up mail is left out there: one mail, not two (none if they opted out as an attendee).

Each event's batch is one transaction under the event's row lock, so several workers send it once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import exists, select

from eventapp.db import begin_write, utcnow
from eventapp.events.enums import EventStatus
from eventapp.events.locking import lock_event
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.services import enqueue
from eventapp.materialnews import mails, signals
from eventapp.materialnews.models import MaterialAnnouncement, MaterialNewsDigest, MaterialNewsOptOut
from eventapp.materials import queries as material_queries
from eventapp.materials.models import Material
from eventapp.materials.queries import FOR_ATTENDEES, MaterialsSection
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.registrations.services import mint_token
from eventapp.transactions import use_case


def record_announced(event: Event, section: MaterialsSection, *, now: datetime) -> None:
    """In the follow-up mail's transaction: every material it lists is no longer news (flush only)."""
    known = set(db.session.scalars(
        select(MaterialAnnouncement.material_id).where(MaterialAnnouncement.event_id == event.id)
    ))  # fmt: skip
    for shown in section.all():
        if shown.material.id not in known:
            db.session.add(MaterialAnnouncement(material_id=shown.material.id, event_id=event.id, announced_at=now))
    db.session.flush()


def news_of(section: MaterialsSection, announced: set[int]) -> MaterialsSection:
    """The part of ``section`` no mail has listed yet, in the same groups and order."""
    from dataclasses import replace

    from eventapp.materials.queries import AgendaMaterials

    def new(items: Iterable[Any]) -> list[Any]:
        return [shown for shown in items if shown.material.id not in announced]

    agenda = [AgendaMaterials(group.item, new(group.materials)) for group in section.agenda]
    return replace(
        section,
        recordings=new(section.recordings),
        agenda=[group for group in agenda if group.materials],
        boards=new(section.boards),
        documents=new(section.documents),
        links=new(section.links),
    )


def _due_events(now: datetime) -> list[int]:
    """Events whose follow-up mail went and that have a published material no mail listed yet (so the
    chore locks no event row that has nothing to send)."""
    unannounced = exists().where(
        Material.event_id == Event.id,
        Material.published.is_(True),
        Material.visibility.in_(list(FOR_ATTENDEES)),
        Material.withdrawn_at.is_(None),
        ~exists().where(MaterialAnnouncement.material_id == Material.id),
    )
    ids = list(db.session.scalars(
        select(Event.id).where(Event.materials_mail_sent_at.is_not(None), Event.materials_published_at.is_not(None),
                               Event.status != EventStatus.CANCELLED, unannounced).order_by(Event.id)
    ))  # fmt: skip
    db.session.rollback()
    return ids


def _same_local_day(a: datetime, b: datetime, event: Event) -> bool:
    return a.astimezone(event.tzinfo).date() == b.astimezone(event.tzinfo).date()


@use_case
def send_new_materials(*, now: datetime | None = None) -> int:
    """For the worker: each event's "new materials" batch when one is due (see the module's rules).
    Returns how many mails were written."""
    now = now or utcnow()
    written = 0
    for event_id in _due_events(now):
        event = lock_event(event_id)
        digest = db.session.get(MaterialNewsDigest, event.id)
        sent_before = event.materials_mail_sent_at
        if (
            event.materials_published_at is None
            or sent_before is None
            or _same_local_day(sent_before, now, event)
            or (digest is not None and _same_local_day(digest.sent_at, now, event))
        ):
            db.session.rollback()
            continue
        announced = set(db.session.scalars(
            select(MaterialAnnouncement.material_id).where(MaterialAnnouncement.event_id == event.id)
        ))  # fmt: skip
        news = news_of(material_queries.followup_section(event), announced)
        if not news:
            db.session.rollback()
            continue
        followed_up = list(db.session.scalars(
            select(Registration).where(
                Registration.event_id == event.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Registration.created_at <= sent_before,
            ).order_by(Registration.id)
        ))  # fmt: skip
        stopped = set(db.session.scalars(
            select(MaterialNewsOptOut.registration_id).join(Registration)
            .where(Registration.event_id == event.id)
        ))  # fmt: skip
        for registration in followed_up:
            if registration.id not in stopped:
                enqueue(mails.new_materials(registration, news, token=mint_token(registration)))
                written += 1
        # The interest lists: subscribers who got the follow-up are left out (one mail, or none if they opted out).
        written += signals.tell_others(event, news=news, attendees=[r.email for r in followed_up], now=now)
        for shown in news.all():
            db.session.add(MaterialAnnouncement(material_id=shown.material.id, event_id=event.id, announced_at=now))
        if digest is None:
            db.session.add(MaterialNewsDigest(event_id=event.id, sent_at=now))
        else:
            digest.sent_at = now
        db.session.commit()
    return written


@use_case
def opt_out(registration_id: int) -> None:
    """No more "new materials" mails for this registration (idempotent). Commits."""
    begin_write(db.session)
    if db.session.get(MaterialNewsOptOut, registration_id) is None:
        db.session.add(MaterialNewsOptOut(registration_id=registration_id))
    db.session.commit()


def opted_out(registration_id: int) -> bool:
    return db.session.get(MaterialNewsOptOut, registration_id) is not None
