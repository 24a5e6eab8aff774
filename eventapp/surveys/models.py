"""A feedback survey attached to an event, its questions, the answers, and who was asked.

How an anonymous answer is kept apart from the person who gave it (the design, in one place):

* ``SurveyResponse`` of an anonymous survey has no registration id, no token, no timestamp, and its key
  is a random 128-bit string (not a sequence), so neither its key nor the order of keys says when it
  arrived. Its answers (``SurveyAnswer``) hang off that random key only. Lists and exports order
  anonymous responses by that random key, never by arrival.
* "Has answered" is a boolean on ``SurveyInvitation`` (survey, registration), with no time of its own:
  the row's times are when the invitation and the reminder were *mailed*, which the chore sets on its own
  schedule, never when the person answered. Setting the flag does not touch ``registrations`` (whose
  ``updated_at`` would otherwise say when).
* So no column, key, order or timestamp joins an anonymous response to an invitation. What stays out of
  the data model's reach: the database's own bookkeeping (PostgreSQL's ``xmin`` of the two rows written in
  one transaction, the write-ahead log, server logs) is visible to someone with superuser access to the
  database server, not to the application, its pages or its exports.
* A non-anonymous survey's response carries ``registration_id`` and ``submitted_at``. When that person's
  data is erased or purged, the response is *detached* (both set to None) and its free-text answers are
  deleted, so the survey's counts and averages stay as they were and nothing points to the person.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.events.models import Event
from eventapp.extensions import Model
from eventapp.surveys.enums import SurveyQuestionKind

#: How long a survey takes answers after its event ends, unless the organiser chose a closing time.
DEFAULT_OPEN_FOR = timedelta(days=30)


def random_key() -> str:
    return secrets.token_hex(16)


class Survey(Model):
    """At most one per event; it opens when the event ends."""

    __tablename__ = "surveys"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event asked about.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    #: Whether answers are kept without saying whose they are (the attendee is told before answering).
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    #: A few words above the questions (optional).
    intro: Mapped[str] = mapped_column(Text, default="")
    #: When the organiser made it.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When it stops taking answers (chosen in the event's zone); None: ``DEFAULT_OPEN_FOR`` after the event.
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    event: Mapped[Event] = relationship()
    questions: Mapped[list[SurveyQuestion]] = relationship(
        order_by="SurveyQuestion.position", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def closing_at(self) -> datetime:
        """When answers stop: the organiser's choice, else ``DEFAULT_OPEN_FOR`` after the event ends."""
        return self.closes_at if self.closes_at is not None else self.event.ends_at + DEFAULT_OPEN_FOR

    @property
    def local_closing_at(self) -> datetime:
        """``closing_at`` on the event's wall clock (aware, in the event's zone)."""
        return self.closing_at.astimezone(self.event.tzinfo)

    def is_closed(self, now: datetime | None = None) -> bool:
        """Past its closing time: no more answers, invitations or reminders."""
        return self.closing_at <= (now or utcnow())

    def is_open(self, now: datetime | None = None) -> bool:
        """Open for answers from the end of the event until it closes (a cancelled event has no survey to
        answer)."""
        now = now or utcnow()
        return (
            self.event.ends_at <= now
            and not self.is_closed(now)
            and not self.event.is_cancelled
            and bool(self.questions)
        )


class SurveyQuestion(Model):
    __tablename__ = "survey_questions"

    #: Surrogate key; also the form field name ``q_<id>``.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The survey asking.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: Order on the form.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The question.
    label: Mapped[str] = mapped_column(String(300))
    #: A hint under it.
    help_text: Mapped[str] = mapped_column(String(500), default="")
    #: Kind of answer.
    kind: Mapped[SurveyQuestionKind] = mapped_column(enum_column_type(SurveyQuestionKind, "survey_question_kind"))
    #: Whether an answer is required.
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The choices of a choice question, one per line.
    choices: Mapped[str] = mapped_column(Text, default="")

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]

    @property
    def field_name(self) -> str:
        return f"q_{self.id}"


class SurveyResponse(Model):
    """One person's answers. Anonymous: only ``id`` (random) and ``survey_id`` (see the module's notes)."""

    __tablename__ = "survey_responses"

    #: Random, so that keys do not tell the order of arrival.
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_key)
    #: The survey answered.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: Who answered: only for a survey that is not anonymous, and None once their data is erased.
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"), index=True)
    #: When: only for a survey that is not anonymous, and None once their data is erased.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    answers: Mapped[list[SurveyAnswer]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class SurveyAnswer(Model):
    __tablename__ = "survey_answers"

    #: The response it is part of.
    response_id: Mapped[str] = mapped_column(ForeignKey("survey_responses.id", ondelete="CASCADE"), primary_key=True)
    #: The question answered.
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The answer: text; chosen options one per line; "yes"/"no"; a scale's number.
    value: Mapped[str] = mapped_column(Text, default="")


class SurveyInvitation(Model):
    """That a person who came was asked, reminded, and has answered (no time of answering: see above)."""

    __tablename__ = "survey_invitations"
    __table_args__ = (UniqueConstraint("survey_id", "registration_id"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The survey.
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"), index=True)
    #: The person asked.
    registration_id: Mapped[int] = mapped_column(ForeignKey("registrations.id", ondelete="CASCADE"), index=True)
    #: When the link went out (in the follow-up mail or a survey mail of its own); None: not mailed.
    mailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: When the one reminder went out.
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Whether they have answered (one answer per person). Deliberately without a time.
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
