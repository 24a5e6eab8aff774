"""Calls for participation (a project recruiting organisations, a network taking members), their
checklists and questions, and the organisations' applications with their letters of intent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from eventapp.calls.enums import ApplicationStatus, CallKind, LetterPolicy
from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import Model
from eventapp.registrations import wording
from eventapp.registrations.enums import OrganisationType, QuestionKind
from eventapp.registrations.wording import QuestionText
from eventapp.richtext import render_markdown

if TYPE_CHECKING:
    from eventapp.programmes.models import Programme  # type-only: relationship annotation


class Call(Model):
    """An organiser's call to organisations: apply by the deadline, the organisers choose."""

    __public_content__ = True  # programme pages list open calls: changes move the content version
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("target_min >= 0 AND target_max >= target_min", name="target_range_valid"),
    )

    #: Surrogate key; also the call's address /programmes/<slug>/calls/<id>.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The programme calling.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    #: Participation in a project, or membership of a network.
    kind: Mapped[CallKind] = mapped_column(enum_column_type(CallKind, "call_kind"))
    #: The call's title.
    title: Mapped[str] = mapped_column(String(200))
    #: One or two sentences for lists.
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: What the call is about, as written (Markdown).
    description_md: Mapped[str] = mapped_column(Text, default="")
    #: ``description_md`` rendered and sanitised on save.
    description_html: Mapped[str] = mapped_column(Text, default="")
    #: Language of the texts above.
    language: Mapped[str] = mapped_column(String(8), default="nb")
    #: IANA zone the opening and closing times are set and shown in (the programme's own).
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Oslo")
    #: From when applications are taken.
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The deadline: applications and changes close at this moment.
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The number of organisations the organisers look for: at least this many ...
    target_min: Mapped[int] = mapped_column(Integer, default=0)
    #: ... and at most this many (accepting more needs the organiser's confirmation).
    target_max: Mapped[int] = mapped_column(Integer, default=0)
    #: Whether a letter of intent is required, optional or not asked for.
    letter_policy: Mapped[LetterPolicy] = mapped_column(
        enum_column_type(LetterPolicy, "letter_policy"), default=LetterPolicy.REQUIRED
    )
    #: The organiser who opened it.
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    #: When the row was created.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the row last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    programme: Mapped[Programme] = relationship()
    requirements: Mapped[list[CallRequirement]] = relationship(
        order_by="(CallRequirement.position, CallRequirement.id)", cascade="all, delete-orphan", passive_deletes=True
    )
    questions: Mapped[list[CallQuestion]] = relationship(
        order_by="(CallQuestion.position, CallQuestion.id)", cascade="all, delete-orphan", passive_deletes=True
    )
    #: The title and texts in other languages (public pages load only the visitor's: ``queries.in_locale``).
    translations: Mapped[list[CallTranslation]] = relationship(
        back_populates="call", order_by="CallTranslation.locale", cascade="all, delete-orphan", passive_deletes=True
    )

    @validates("description_md")
    def _render_description(self, _key: str, value: str | None) -> str:
        self.description_html = render_markdown(value)
        return value or ""

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def local_opens_at(self) -> datetime:
        return self.opens_at.astimezone(self.tzinfo)

    @property
    def local_closes_at(self) -> datetime:
        return self.closes_at.astimezone(self.tzinfo)

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.closes_at

    @property
    def asks_for_letter(self) -> bool:
        return self.letter_policy is not LetterPolicy.NOT_ASKED

    @property
    def target_text(self) -> str:
        """'6–12' (or '12' when both ends are the same)."""
        if self.target_min == self.target_max:
            return str(self.target_max)
        return f"{self.target_min}–{self.target_max}"

    def content(self, locale: str) -> CallContent:
        """The title and texts in ``locale`` where a translation gives them, each part in the call's own
        language otherwise; with the language of each part, for ``lang`` attributes. Reads ``translations``
        as loaded (public pages load only the visitor's)."""
        if locale != self.language:
            for translation in self.translations:
                if translation.locale == locale:
                    return CallContent.mixed(self, translation)
        return CallContent.original(self)

    def title_in(self, locale: str) -> tuple[str, str]:
        """(title, its language) in ``locale`` where translated: for lists and links that show the title only."""
        if locale != self.language:
            for translation in self.translations:
                if translation.locale == locale and translation.title.strip():
                    return translation.title, locale
        return self.title, self.language

    def _translation(self, locale: str) -> CallTranslation | None:
        if locale != self.language:
            for translation in self.translations:
                if translation.locale == locale:
                    return translation
        return None

    def requirement_in(self, requirement: CallRequirement, locale: str) -> tuple[str, str]:
        """(the checklist statement, its language) in ``locale`` where translated, else the call's own."""
        translation = self._translation(locale)
        return wording.requirement_in(translation.parts if translation else None, requirement, locale, self.language)

    def question_in(self, question: CallQuestion, locale: str) -> QuestionText:
        """A question's label, hint and choice labels in ``locale`` where translated (each part that is
        not, in the call's own language). The answer stored is always the original choice."""
        translation = self._translation(locale)
        return wording.question_in(translation.parts if translation else None, question, locale, self.language)

    def __repr__(self) -> str:
        return f"<Call {self.id} {self.title!r}>"


@dataclass(frozen=True)
class CallContent:
    """A call's title and texts as one reader reads them, and the language of each."""

    title: str
    title_lang: str
    summary: str
    summary_lang: str
    description_html: str
    description_lang: str

    @classmethod
    def original(cls, call: Call) -> CallContent:
        lang = call.language
        return cls(call.title, lang, call.summary, lang, call.description_html, lang)

    @classmethod
    def mixed(cls, call: Call, translation: CallTranslation) -> CallContent:
        def pick(own: str, translated: str) -> tuple[str, str]:
            return (translated, translation.locale) if translated.strip() else (own, call.language)

        return cls(
            *pick(call.title, translation.title),
            *pick(call.summary, translation.summary),
            *pick(call.description_html, translation.description_html),
        )


class CallTranslation(Model):
    """A call's title and texts in another language than its own (the organiser writes the call's own
    language and may add others)."""

    __public_content__ = True  # public pages show it: changes move the content version
    __tablename__ = "call_translations"

    #: The call translated.
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    #: The language of this translation ("sv", "fi", ...), never the call's own.
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    #: The title in that language (empty: the original title is shown).
    title: Mapped[str] = mapped_column(String(200), default="")
    #: The summary in that language (empty: the original is shown).
    summary: Mapped[str] = mapped_column(String(500), default="")
    #: The description in that language, Markdown (empty: the original is shown).
    description_md: Mapped[str] = mapped_column(Text, default="")
    #: ``description_md`` rendered and sanitised.
    description_html: Mapped[str] = mapped_column(Text, default="")
    #: When it last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    #: The checklist statements and questions in that language, by id (JSON; ``registrations.wording``):
    #: ``{"requirements": {"<id>": text}, "questions": {"<id>": {"label", "help_text", "choices"}}}``,
    #: choices one per line in the original's order; a missing or empty part shows the original.
    parts: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")

    call: Mapped[Call] = relationship(back_populates="translations")

    @validates("description_md")
    def _render_description(self, _key: str, value: str | None) -> str:
        self.description_html = render_markdown(value)
        return value or ""


class CallRequirement(Model):
    """A statement each applying organisation confirms (one line of the call's checklist)."""

    __public_content__ = True
    __tablename__ = "call_requirements"

    #: Surrogate key; also the form field ``requirement_<id>``.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The call.
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    #: Order on the form.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The statement.
    text: Mapped[str] = mapped_column(String(500))

    @property
    def field_name(self) -> str:
        return f"requirement_{self.id}"


class CallQuestion(Model):
    """A question of a call's form: the same five kinds as sign-up questions (see
    ``registrations.forms._question_field``, which draws both)."""

    __public_content__ = True
    __tablename__ = "call_questions"

    #: Surrogate key; also the form field ``answer_<id>``.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The call asking.
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    #: Order on the form.
    position: Mapped[int] = mapped_column(Integer, default=0)
    #: The question.
    label: Mapped[str] = mapped_column(String(300))
    #: A hint under it.
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


class Application(Model):
    """One organisation's application to one call, with the contact who follows the project."""

    __public_content__ = True  # accepted ones are listed on the programme page: changes move the content version
    __tablename__ = "call_applications"
    __table_args__ = (
        # One live application per organisation (its country and number) and call.
        Index(
            "uq_call_applications_call_id_organisation_key_live",
            "call_id",
            "organisation_key",
            unique=True,
            postgresql_where=text("status <> 'withdrawn'"),
            sqlite_where=text("status <> 'withdrawn'"),
        ),
        Index("ix_call_applications_call_id_status", "call_id", "status"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The call applied to.
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    #: submitted, on hold, accepted, declined, withdrawn; changed only by ``services.transition``.
    status: Mapped[ApplicationStatus] = mapped_column(enum_column_type(ApplicationStatus, "application_status"))
    #: The organisation's name, as written.
    organisation: Mapped[str] = mapped_column(String(200))
    #: Its organisation number in the canonical national form.
    organisation_number: Mapped[str] = mapped_column(String(40))
    #: "NO:923609016": what makes two applications the same organisation's.
    organisation_key: Mapped[str] = mapped_column(String(300))
    #: Kind of organisation.
    organisation_type: Mapped[OrganisationType] = mapped_column(enum_column_type(OrganisationType, "organisation_type"))
    #: ISO 3166 country code.
    country: Mapped[str] = mapped_column(String(2))
    #: The contact person who follows the project.
    contact_name: Mapped[str] = mapped_column(String(200))
    #: Their role.
    contact_role: Mapped[str] = mapped_column(String(200), default="")
    #: Their work address, normalised.
    contact_email: Mapped[str] = mapped_column(String(254))
    #: Their phone, as written.
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    #: Language the contact used: every mail to them is written in it.
    locale: Mapped[str] = mapped_column(String(8), default="en")
    #: Whether the organisation may be listed publicly once accepted.
    consent_public: Mapped[bool] = mapped_column(Boolean, default=False)
    #: A letter of intent typed in the form (empty when uploaded or not given).
    letter_statement: Mapped[str] = mapped_column(Text, default="")
    #: Name of the person authorised to commit the organisation (with a typed statement).
    letter_signatory_name: Mapped[str] = mapped_column(String(200), default="")
    #: Their role.
    letter_signatory_role: Mapped[str] = mapped_column(String(200), default="")
    #: SHA-256 of the uploaded letter (stored by hash; None: no upload).
    letter_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    #: Its size in bytes.
    letter_size: Mapped[int | None] = mapped_column(Integer)
    #: What its bytes are (``filetypes`` key: pdf, docx, doc).
    letter_file_type: Mapped[str] = mapped_column(String(16), default="")
    #: Its name as the person's computer gave it, cleaned.
    letter_name: Mapped[str] = mapped_column(String(200), default="")
    #: When the privacy statement was accepted, and which version.
    privacy_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    privacy_version: Mapped[str] = mapped_column(String(32), default="")
    #: When it was sent.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When its status last changed.
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When anything last changed.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    call: Mapped[Call] = relationship()
    answers: Mapped[list[ApplicationAnswer]] = relationship(cascade="all, delete-orphan", passive_deletes=True)
    confirmations: Mapped[list[ApplicationConfirmation]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True
    )
    tokens: Mapped[list[ApplicationToken]] = relationship(cascade="all, delete-orphan", passive_deletes=True)

    @property
    def has_letter(self) -> bool:
        return self.letter_sha256 is not None or bool(self.letter_statement.strip())

    # Mail builders address a recipient by ``email`` and ``name``.
    @property
    def email(self) -> str:
        return self.contact_email

    @property
    def name(self) -> str:
        return self.contact_name


class ApplicationToken(Model):
    """The contact's personal link to the application; only the SHA-256 of the token is stored."""

    __tablename__ = "call_application_tokens"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The application it opens.
    application_id: Mapped[int] = mapped_column(ForeignKey("call_applications.id", ondelete="CASCADE"), index=True)
    #: Hex SHA-256 of the token.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: When it was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ApplicationAnswer(Model):
    __tablename__ = "call_application_answers"

    #: The application answering.
    application_id: Mapped[int] = mapped_column(
        ForeignKey("call_applications.id", ondelete="CASCADE"), primary_key=True
    )
    #: The question.
    question_id: Mapped[int] = mapped_column(
        ForeignKey("call_questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: The answer; several choices one per line; "yes"/"no".
    value: Mapped[str] = mapped_column(Text, default="")


class ApplicationConfirmation(Model):
    __tablename__ = "call_application_confirmations"

    #: The application confirming.
    application_id: Mapped[int] = mapped_column(
        ForeignKey("call_applications.id", ondelete="CASCADE"), primary_key=True
    )
    #: The requirement confirmed.
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("call_requirements.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    #: When.
    confirmed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    requirement: Mapped[CallRequirement] = relationship()


class CallEvent(Model):
    """An event only for the organisations accepted to a call (the dialogue's closed workshops)."""

    __public_content__ = True
    __tablename__ = "call_events"

    #: The call whose accepted organisations may sign up.
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    #: The restricted event.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True, index=True)
