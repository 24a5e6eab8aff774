"""Who may manage an event in the back office. One place, so every view asks the same question
(programmes: programmes/permissions.py)."""

from __future__ import annotations

from sqlalchemy import Select, exists, or_, select

from eventapp.accounts.models import EventManager, User
from eventapp.events.models import Event


def can_manage_event(user: User, event: Event) -> bool:
    """Admins manage everything; an organiser manages the events they created or were added to."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_admin or event.created_by_id == user.id:
        return True
    return any(manager.user_id == user.id for manager in event.managers)


def manageable_events(user: User) -> Select[tuple[Event]]:
    """The events ``user`` may manage, as a query to refine."""
    stmt = select(Event)
    if user.is_admin:
        return stmt
    is_manager = exists().where(EventManager.event_id == Event.id, EventManager.user_id == user.id)
    return stmt.where(or_(Event.created_by_id == user.id, is_manager))


def can_change_team(user: User, event: Event) -> bool:
    """Only the event's owner and administrators choose who else manages it."""
    return user.is_authenticated and user.is_active and (user.is_admin or event.created_by_id == user.id)
