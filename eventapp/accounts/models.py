"""Organiser accounts, who manages which event, and the audit log of what they changed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.accounts.enums import AuditRole, Role
from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import db

if TYPE_CHECKING:
    from eventapp.registrations.models import Registration  # type-only: relationship annotation


class User(UserMixin, db.Model):
    __tablename__ = "users"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Sign-in address, normalised (trimmed, lower-case).
    email: Mapped[str] = mapped_column(String(254), unique=True)
    #: Name shown to colleagues and in the audit log.
    name: Mapped[str] = mapped_column(String(200), default="")
    #: scrypt hash (Werkzeug); never the password.
    password_hash: Mapped[str] = mapped_column(String(255))
    #: admin or organiser.
    role: Mapped[Role] = mapped_column(enum_column_type(Role, "user_role"), default=Role.ORGANISER)
    #: A deactivated account cannot sign in (kept for the audit log).
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: When the account was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Last successful sign-in.
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Wrong passwords in a row since the last successful sign-in (the lockout counts them).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    #: After too many wrong passwords, sign-in to this account is refused until then (None: open).
    login_locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive accounts cannot sign in
        return self.active

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class EventManager(db.Model):
    """An organiser added to an event's team: may manage it like its owner."""

    __tablename__ = "event_managers"

    #: The event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    #: The organiser.
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    #: When they were added.
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class AuditEntry(db.Model):
    """Who changed what, and when: one row per change made in the back office."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_event_id_id", "event_id", "id"),)

    #: Surrogate key (also the order of the log).
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The organiser who acted (None: the person themself, or the system).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Who acted, by role: an organiser, the attendee themself, a speaker, or the system.
    actor_role: Mapped[AuditRole] = mapped_column(
        enum_column_type(AuditRole, "audit_role"), default=AuditRole.ORGANISER, server_default=AuditRole.ORGANISER.value
    )
    #: The event concerned.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: The registration concerned, if any.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"))
    #: What happened, as a dotted verb ("registration.approved").
    action: Mapped[str] = mapped_column(String(64))
    #: The parameters of the action's line (``accounts/audit_texts.py``): ids, names as they were, old and
    #: new values of what changed, a message. The line is written in the reader's language when read.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    #: The finished English line of an entry written before lines were rendered per language (shown as
    #: it is); empty for newer entries. Entries about a registration never hold one: their line is
    #: written from the ids, so that erasing or purging the person leaves no name behind.
    summary: Mapped[str] = mapped_column(Text, default="")
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
    registration: Mapped[Registration | None] = relationship()
