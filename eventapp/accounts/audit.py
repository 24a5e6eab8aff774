"""Writing the audit log: called by use-case services inside their own transaction (flush only); and
reading a line of it back, with the names of the people concerned looked up at read time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from flask_babel import gettext as _

from eventapp.accounts.enums import AuditRole
from eventapp.accounts.models import AuditEntry, User
from eventapp.extensions import db


class RegisteredPerson(Protocol):
    """A registration as the audit log names it (registrations stand above accounts)."""

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...


#: The address a purged or erased registration is left with (``<id>@purged.invalid``).
PURGED_DOMAIN = "@purged.invalid"


def record(
    action: str,
    *,
    actor: User | None,
    event_id: int | None,
    registration_id: int | None = None,
    role: AuditRole | None = None,
    summary: str = "",
    **details: Any,
) -> None:
    """Add an entry to the caller's transaction: it is kept exactly when the change is.

    ``role`` defaults to organiser when an ``actor`` is given, else the system. Entries about a
    registration name no one in ``summary``: ``describe`` writes their line from the ids."""
    db.session.add(
        AuditEntry(
            action=action,
            actor_id=actor.id if actor is not None else None,
            actor_role=role or (AuditRole.ORGANISER if actor is not None else AuditRole.SYSTEM),
            event_id=event_id,
            registration_id=registration_id,
            summary=summary,
            details={k: v for k, v in details.items() if v not in (None, "")},
        )
    )


def person_label(registration: RegisteredPerson | None) -> str:
    """The name of the person a registration belongs to, or "a removed person" once erased or purged."""
    if registration is None or not registration.name or registration.email.endswith(PURGED_DOMAIN):
        return _("a removed person")
    return f"{registration.name} <{registration.email}>"


def _who(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.display_name
    if entry.actor_role is AuditRole.ATTENDEE:
        return _("the person themself")
    if entry.actor_role is AuditRole.SPEAKER:
        return _("the speaker")
    return _("the system")


def people_concerned(entry: AuditEntry) -> set[int]:
    """Ids of the registrations a log line names (the one concerned, and those given its seat)."""
    ids = {entry.registration_id} if entry.registration_id is not None else set()
    return ids | {int(i) for i in (entry.details or {}).get("moved", []) if str(i).isdigit()}


def describe(entry: AuditEntry, people: Mapping[int, RegisteredPerson]) -> str:
    """The line the log view shows. Entries with a ``summary`` show it; entries about a registration are
    written now from the ids (``people`` maps id to registration; a missing one is a removed person)."""
    if entry.summary or entry.registration_id is None:
        return entry.summary or entry.action
    verb = entry.action.split(".")[-1].replace("_", " ")
    line = f"{person_label(people.get(entry.registration_id))}: {verb} by {_who(entry)}"
    status = (entry.details or {}).get("status")
    if status:
        line += f" ({status})"
    moved = [int(i) for i in (entry.details or {}).get("moved", []) if str(i).isdigit()]
    if moved:
        line += "; seat given to " + ", ".join(
            people[i].name if i in people and people[i].name else _("a removed person") for i in moved
        )
    return line
