"""Roles of organiser accounts (a leaf module)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class Role(StrEnum):
    #: Everything, including managing organiser accounts.
    ADMIN = "admin"
    #: Creates events; manages the events they own or were added to as a manager.
    ORGANISER = "organiser"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS = {Role.ADMIN: _l("Administrator"), Role.ORGANISER: _l("Organiser")}


class AuditRole(StrEnum):
    """Who made a change recorded in the audit log, by role (the name is looked up when the log is read)."""

    #: An organiser or administrator in the back office (``actor_id`` says which).
    ORGANISER = "organiser"
    #: The attendee themself, from their own link.
    ATTENDEE = "attendee"
    #: A speaker, from their portal.
    SPEAKER = "speaker"
    #: The application itself (the worker's chores, the purge).
    SYSTEM = "system"
