"""Writing the audit log: called by use-case services inside their own transaction (flush only)."""

from __future__ import annotations

from typing import Any

from eventapp.accounts.models import AuditEntry, User
from eventapp.extensions import db


def record(
    action: str,
    *,
    actor: User | None,
    event_id: int | None,
    registration_id: int | None = None,
    summary: str = "",
    **details: Any,
) -> None:
    """Add an entry to the caller's transaction: it is kept exactly when the change is."""
    db.session.add(
        AuditEntry(
            action=action,
            actor_id=actor.id if actor is not None else None,
            event_id=event_id,
            registration_id=registration_id,
            summary=summary,
            details={k: v for k, v in details.items() if v not in (None, "")},
        )
    )
