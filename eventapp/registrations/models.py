"""Registrations (one person's sign-up for one event), their link tokens, answers and confirmations,
and the per-event questions and participation requirements they answer."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import Model, db
from eventapp.registrations import seats
from eventapp.registrations.enums import AttendanceMode, OrganisationType, QuestionKind, RegistrationStatus

if TYPE_CHECKING:
    from eventapp.events.models import Event  # type-only: relationship annotation


class Registration(Model):
    __tablename__ = "registrations"
    __table_args__ = (
        # One active registration per address and event; a cancelled one does not stop a new sign-up.
        Index(
            "uq_registrations_event_id_email_active",
            "event_id",
            "email",
            unique=True,
            postgresql_where=text("status <> 'cancelled'"),
            sqlite_where=text("status <> 'cancelled'"),
        ),
        Index("ix_registrations_event_id_status_id", "event_id", "status", "id"),
        Index("ix_registrations_event_id_organisation_key", "event_id", "organisation_key"),
        # Live seat offers, counted on every read of the seats (``seats``): only rows holding an offer.
        Index(
            "ix_registrations_event_id_offer_expires_at",
            "event_id",
            "offer_expires_at",
            postgresql_where=text("offer_expires_at IS NOT NULL"),
            sqlite_where=text("offer_expires_at IS NOT NULL"),
        ),
        CheckConstraint("calendar_sequence >= 0", name="calendar_sequence_not_negative"),
    )

    #: Surrogate key; also the order of the waiting list (ids are taken inside the event's lock).
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event signed up for.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: confirmed, waitlisted, pending (approval), rejected or cancelled; changed only by ``transition``.
    status: Mapped[RegistrationStatus] = mapped_column(enum_column_type(RegistrationStatus, "registration_status"))
    #: On site or online, for a hybrid event (its seats and waiting list are that mode's); None for any
    #: other event (and for a registration made before its event became hybrid: it counts as on site).
    attendance: Mapped[AttendanceMode | None] = mapped_column(enum_column_type(AttendanceMode, "attendance_mode"))
    #: Full name, as the person wrote it.
    name: Mapped[str] = mapped_column(String(200))
    #: Email address, normalised (trimmed, lower-case) so that one address is one person.
    email: Mapped[str] = mapped_column(String(254))
    #: Organisation, as written.
    organisation: Mapped[str] = mapped_column(String(200))
    #: Kind of organisation (for organisers' statistics).
    organisation_type: Mapped[OrganisationType] = mapped_column(enum_column_type(OrganisationType, "organisation_type"))
    #: ISO 3166 country code of the organisation.
    country: Mapped[str] = mapped_column(String(2))
    #: Job title (optional).
    job_title: Mapped[str] = mapped_column(String(200), default="")
    #: Organisation number in its canonical national form (optional).
    organisation_number: Mapped[str] = mapped_column(String(40), default="")
    #: Who counts as "the same organisation" for quotas: the number when valid, else the normalised name.
    organisation_key: Mapped[str] = mapped_column(String(300))
    #: Language the person used: every mail to them is written in it.
    locale: Mapped[str] = mapped_column(String(8), default="en")
    #: When the person accepted the privacy statement.
    privacy_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: Which version of the privacy statement (``eventapp.about.privacy.VERSION``) they accepted; '' when
    #: the registration is older than the versioned statement, or an organiser added the person by hand.
    privacy_version: Mapped[str] = mapped_column(String(32), default="", server_default="")
    #: When the seat offered to a waitlisted person (offer mode) lapses; None when nothing is offered.
    offer_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the day-before reminder went out.
    reminded_day_before_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the hour-before reminder (with the join link) went out.
    reminded_hour_before_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When an organiser checked the person in on the day (None: not there, or not yet).
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The unique part of the iCalendar UID of this registration's invitations and personal calendar
    #: file (random, ASCII, no personal data), so a new sign-up is a new calendar entry. None for a
    #: registration made before registrations had their own: its invitations keep the event's UID.
    calendar_uid: Mapped[str | None] = mapped_column(String(64), unique=True, default=lambda: uuid.uuid4().hex)
    #: Invitations sent to this person after the first (None: none sent yet). Their SEQUENCE is the
    #: event's ``calendar_sequence`` plus this, so it rises with every change of the event and with
    #: every further invitation, and never repeats for this registration's UID.
    calendar_sequence: Mapped[int | None] = mapped_column(Integer)
    #: When the person signed up.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the status last changed.
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When anything last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship(back_populates="registrations")
    tokens: Mapped[list[RegistrationToken]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", passive_deletes=True
    )
    answers: Mapped[list[RegistrationAnswer]] = relationship(
        back_populates="registration", cascade="all, delete-orphan", passive_deletes=True
    )
    confirmations: Mapped[list[RequirementConfirmation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_active(self) -> bool:
        from eventapp.registrations.enums import ACTIVE_STATUSES

        return self.status in ACTIVE_STATUSES

    @property
    def can_be_cancelled(self) -> bool:
        return self.is_active and not self.event.is_past()

    @property
    def has_offer(self) -> bool:
        return (
            self.status is RegistrationStatus.WAITLISTED
            and self.offer_expires_at is not None
            and self.offer_expires_at > utcnow()
        )

    @property
    def attends_in_person(self) -> bool:
        """The venue is where this person goes: an in-person event, or on site at a hybrid one."""
        return self.event.has_venue and self.attendance is not AttendanceMode.ONLINE

    @property
    def attends_online(self) -> bool:
        """This person takes part online: an online event, or online at a hybrid one."""
        return self.event.has_online_part and self.attendance is not AttendanceMode.ON_SITE

    @property
    def seat_pool(self) -> AttendanceMode | None:
        """The seats and waiting list this registration belongs to: its mode at a hybrid event (no mode
        counts as on site), None (the one pool) at any other."""
        if not self.event.is_hybrid:
            return None
        return self.attendance or AttendanceMode.ON_SITE

    @property
    def sees_join_link(self) -> bool:
        """Only confirmed attendees who take part online get the join link (on site at a hybrid event: no)."""
        return (
            self.status is RegistrationStatus.CONFIRMED
            and self.attends_online
            and bool(self.event.online_url)
            and not self.event.is_cancelled
        )

    @property
    def invitation_sequence(self) -> int:
        """The SEQUENCE of this registration's latest invitation (and of its personal calendar file)."""
        return (self.event.calendar_sequence or 0) + (self.calendar_sequence or 0)

    @property
    def holds_invitation(self) -> bool:
        """Confirmed and sent an invitation: the person's calendar has the event under their own UID."""
        return self.status is RegistrationStatus.CONFIRMED and self.calendar_sequence is not None

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"


class SeatCount(Model):
    """How many registrations of one event are confirmed, waitlisted and pending, in all and online (a
    hybrid event's online mode; on site is the rest). Written only by the database's triggers on
    ``registrations`` (see ``registrations.seats``); the app only reads it."""

    __tablename__ = "seat_counts"

    #: The event counted (a row exists once the event had an active registration).
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    confirmed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waitlisted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    pending: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    online_confirmed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    online_waitlisted: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    online_pending: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


seats.install(db.metadata)


class RegistrationToken(Model):
    """A link to one registration (/r/<token>). Only the SHA-256 of the token is stored; a registration
    can have several (each re-sent link is new, earlier ones keep working until revoked)."""

    __tablename__ = "registration_tokens"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The registration the link opens.
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: Hex SHA-256 of the token; the token itself is only ever in the person's mail.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: When it was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it was revoked (None: valid).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    registration: Mapped[Registration] = relationship(back_populates="tokens")


class CustomQuestion(Model):
    """A question an event asks at sign-up, besides the standard fields."""

    __tablename__ = "custom_questions"
    __public_content__ = True

    #: Surrogate key; also the form field name ``answer_<id>``.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event asking.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Order on the form.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The question, as the form shows it.
    label: Mapped[str] = mapped_column(String(300))
    #: A hint under the question.
    help_text: Mapped[str] = mapped_column(String(500), default="")
    #: short text, long text, single choice, multiple choice or yes/no.
    kind: Mapped[QuestionKind] = mapped_column(enum_column_type(QuestionKind, "question_kind"))
    #: Whether an answer is required.
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The choices of a choice question, one per line.
    choices: Mapped[str] = mapped_column(Text, default="")

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:
        return f"answer_{self.id}"


class RegistrationAnswer(Model):
    __tablename__ = "registration_answers"

    #: The registration answering.
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    #: The question answered.
    question_id: Mapped[int] = mapped_column(
        ForeignKey("custom_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The answer; the chosen options of a multiple-choice question one per line; "yes"/"no".
    value: Mapped[str] = mapped_column(Text, default="")

    registration: Mapped[Registration] = relationship(back_populates="answers")
    question: Mapped[CustomQuestion] = relationship()


class ParticipationRequirement(Model):
    """A statement an organisation must confirm to take part (the dialogue-meeting checklist)."""

    __tablename__ = "participation_requirements"
    __public_content__ = True

    #: Surrogate key; also the form field name ``requirement_<id>``.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event requiring it.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    #: Order on the form and the event page.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The statement ("Our leadership has anchored the project").
    text: Mapped[str] = mapped_column(String(500))

    @property
    def field_name(self) -> str:
        return f"requirement_{self.id}"


class RequirementConfirmation(Model):
    __tablename__ = "requirement_confirmations"

    #: The registration confirming.
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True)
    #: The requirement confirmed.
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("participation_requirements.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: When.
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
