"""Speakers' slides and the event's choice of when they become visible (``Event.slides_publish``):
after the organiser's review, at upload, or with the materials. "Publish all that is ready" publishes
every speaker's draft that has a file, after a preview of exactly those."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.events.enums import SlidesPublish
from eventapp.events.locking import lock_event
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.enums import MaterialKind
from eventapp.materials.models import Material
from eventapp.transactions import use_case


def publishes_at_upload(event: Event) -> bool:
    """Whether a speaker's new upload is published as it arrives."""
    if event.slides_publish is SlidesPublish.AT_UPLOAD:
        return True
    return event.slides_publish is SlidesPublish.WITH_MATERIALS and event.materials_published_at is not None


def ready_drafts(event_id: int) -> list[Material]:
    """Speakers' slides not yet published that have a file that was not withdrawn, in agenda order. One
    query."""
    rows = db.session.scalars(
        select(Material)
        .where(Material.event_id == event_id, Material.kind == MaterialKind.SLIDES, Material.published.is_(False),
               Material.speaker_id.is_not(None), Material.withdrawn_at.is_(None))
        .options(joinedload(Material.files), joinedload(Material.speaker), joinedload(Material.agenda_item))
        .order_by(Material.position, Material.id)
    ).unique()  # fmt: skip
    return [m for m in rows if m.current_file is not None]


@use_case
def publish_ready(event_id: int, *, actor: User | None, expected: list[int] | None = None) -> list[int]:
    """Publish every ready draft (in the caller's lock when ``actor`` is None: flush only). With
    ``expected`` (the ids the organiser saw in the preview), only those that are still ready: nothing
    the organiser did not see becomes visible. Returns the ids published. Side effects: an audit entry;
    commits when ``actor`` is given (the use case "publish all that is ready")."""
    if actor is not None:
        lock_event(event_id)
    ready = ready_drafts(event_id)
    if expected is not None:
        ready = [m for m in ready if m.id in set(expected)]
    for material in ready:
        material.published = True
    if actor is not None:
        if ready:
            audit.record("materials.ready_published", actor=actor, event_id=event_id,
                         material_ids=[m.id for m in ready], count=len(ready),
                         titles=", ".join(m.title for m in ready))  # fmt: skip
        db.session.commit()
    else:
        db.session.flush()
    return [m.id for m in ready]


@use_case
def set_policy(event_id: int, policy: SlidesPublish, *, actor: User) -> None:
    """The event's choice for speakers' slides. Choosing "at upload" does not publish drafts already
    there (the organiser can publish those that are ready in one step). Side effects: an audit entry."""
    event = lock_event(event_id)
    if event.slides_publish is not policy:
        event.slides_publish = policy
        audit.record("materials.slides_policy", actor=actor, event_id=event_id, policy=audit.value(policy))
    db.session.commit()
