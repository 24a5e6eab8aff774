"""Who may manage a programme in the back office (events: events/permissions.py)."""

from __future__ import annotations

from sqlalchemy import Select, select

from eventapp.accounts.models import User
from eventapp.programmes.models import Programme


def can_manage_programme(user: User, programme: Programme) -> bool:
    """Admins manage every programme; an organiser manages the programmes they created."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_admin or programme.created_by_id == user.id


def manageable_programmes(user: User) -> Select[tuple[Programme]]:
    """The programmes ``user`` may manage, as a query to refine."""
    stmt = select(Programme)
    return stmt if user.is_admin else stmt.where(Programme.created_by_id == user.id)
