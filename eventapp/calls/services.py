"""Calls and applications: the use cases, each one transaction.

- Organisers open and change calls and their questions: ``calls.setup``.
- An organisation applies (``apply``), changes its application or replaces its letter
  (``update_application``) or withdraws (``withdraw``) until the deadline, through the contact's link.
- Organisers decide (``decide``): accept, decline or put on hold, with a message mailed to the contact.

Writes that count applications lock the call row (``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN
IMMEDIATE`` on SQLite), so two organisers accepting at once see each other's decisions, and the count
against the top of the target range is taken inside the lock.

A letter file goes into storage before the transaction (outside the lock); if the transaction fails, a
file no row points to leaves storage again (``letters.forget_unless_used``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NoReturn

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from eventapp import addresses
from eventapp.about import privacy
from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.calls import letters
from eventapp.calls.enums import TRANSITIONS, ApplicationStatus, LetterPolicy
from eventapp.calls.models import (
    Application,
    ApplicationAnswer,
    ApplicationConfirmation,
    ApplicationToken,
    Call,
)
from eventapp.calls.setup import lock_call
from eventapp.db import utcnow
from eventapp.errors import DomainError, NotAllowed, NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.mail.services import enqueue
from eventapp.registrations.enums import OrganisationType, QuestionKind
from eventapp.registrations.orgnumbers import InvalidOrganisationNumber, normalise, organisation_key
from eventapp.security import hash_token, new_token
from eventapp.transactions import use_case

# --- applying ------------------------------------------------------------------------------------


class CallClosed(DomainError):
    status_code = 409
    default_message = _l("The deadline of this call has passed: applications and changes are closed.")


class AlreadyApplied(DomainError):
    status_code = 409
    default_message = _l(
        "An application with this organisation number has already been sent to this call. The contact "
        "person named in it has a link to see and change it."
    )


@dataclass(frozen=True)
class ApplicationData:
    """What the application form holds (shape already checked by the form)."""

    organisation: str
    organisation_number: str
    organisation_type: OrganisationType
    country: str
    contact_name: str
    contact_role: str
    contact_email: str
    contact_phone: str
    locale: str
    consent_public: bool
    accept_privacy: bool
    confirmed_requirements: frozenset[int] = frozenset()
    answers: dict[int, str | list[str]] = field(default_factory=dict)
    letter_statement: str = ""
    letter_signatory_name: str = ""
    letter_signatory_role: str = ""


@dataclass(frozen=True)
class ApplyResult:
    application_id: int
    token: str


def _normalised(data: ApplicationData) -> tuple[str, str, str]:
    """The contact's address, the canonical organisation number and the organisation's key."""
    try:
        email = addresses.normalise_email(data.contact_email)
    except addresses.InvalidEmailAddress as exc:
        raise ValidationFailed("contact_email", exc.message) from exc
    try:
        number = normalise(data.country, data.organisation_number)
    except InvalidOrganisationNumber as exc:
        raise ValidationFailed("organisation_number", str(exc.message)) from exc
    return email, number, organisation_key(data.country, number, data.organisation)


def _answers(call: Call, data: ApplicationData) -> dict[int, str]:
    for requirement in call.requirements:
        if requirement.id not in data.confirmed_requirements:
            raise ValidationFailed(requirement.field_name, str(_l("Your organisation must confirm this to take part.")))
    answers: dict[int, str] = {}
    for question in call.questions:
        value = data.answers.get(question.id)
        values = value if isinstance(value, list) else ([value] if value else [])
        values = [v.strip() for v in values if v and v.strip()]
        if question.required and not values:
            raise ValidationFailed(question.field_name, str(_l("Please answer this question.")))
        allowed = {
            QuestionKind.SINGLE_CHOICE: question.choice_list,
            QuestionKind.MULTIPLE_CHOICE: question.choice_list,
            QuestionKind.YES_NO: ["yes", "no"],
        }.get(question.kind)
        if allowed is not None and any(v not in allowed for v in values):
            raise ValidationFailed(question.field_name, str(_l("Please choose one of the options.")))
        if values:
            answers[question.id] = "\n".join(values)
    return answers


def _check_letter(call: Call, data: ApplicationData, *, has_file: bool) -> None:
    typed = bool(data.letter_statement.strip())
    if typed and not (data.letter_signatory_name.strip() and data.letter_signatory_role.strip()):
        raise ValidationFailed(
            "letter_signatory_name",
            str(_l("Give the name and role of the person authorised to commit the organisation.")),
        )
    if call.letter_policy is LetterPolicy.REQUIRED and not (typed or has_file):
        raise ValidationFailed("file", str(_l("Upload the letter of intent, or write it in the form.")))


def _store(upload: letters.Upload | None) -> letters.StoredLetter | None:
    return letters.store_letter(upload) if upload is not None else None


def _set_letter(application: Application, data: ApplicationData, stored: letters.StoredLetter | None) -> None:
    if stored is not None:
        application.letter_sha256, application.letter_size = stored.sha256, stored.size
        application.letter_file_type, application.letter_name = stored.file_type, stored.name
    application.letter_statement = data.letter_statement.strip()
    application.letter_signatory_name = data.letter_signatory_name.strip()
    application.letter_signatory_role = data.letter_signatory_role.strip()


def _commit_keeping_files(*hashes: str | None) -> None:
    """Commit; if that fails, files no row points to leave storage again."""
    try:
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for sha256 in hashes:
            if sha256:
                letters.forget_unless_used(sha256)
        raise


def _fail(stored: letters.StoredLetter | None, exc: BaseException) -> NoReturn:
    db.session.rollback()
    if stored is not None:
        letters.forget_unless_used(stored.sha256)
    raise exc


def mint_token(application: Application) -> str:
    token = new_token()
    application.tokens.append(ApplicationToken(token_hash=hash_token(token)))
    return token


@use_case
def apply(
    call_id: int, data: ApplicationData, upload: letters.Upload | None = None, *, now: datetime | None = None
) -> ApplyResult:
    """An organisation applies. Checks the deadline, the organisation number (one live application per
    number and call: AlreadyApplied), the checklist, the answers and the letter. Side effects: the
    application with its answers and confirmations, the letter file in storage, a link token, and the
    confirmation mail with the personal link in the outbox."""
    from eventapp.calls.mail import application_mail

    if not data.accept_privacy:
        raise ValidationFailed("accept_privacy", str(_l("Please accept the privacy notice to apply.")))
    email, number, key = _normalised(data)
    stored = _store(upload)
    try:
        call = lock_call(call_id)
        now = now or utcnow()
        if not call.is_open(now):
            raise CallClosed()
        _check_letter(call, data, has_file=stored is not None)
        answers = _answers(call, data)
        taken = db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(
                Application.call_id == call.id,
                Application.organisation_key == key,
                Application.status != ApplicationStatus.WITHDRAWN,
            )
        )
        if taken:
            raise AlreadyApplied()
    except (ValidationFailed, CallClosed, AlreadyApplied, NotFound) as exc:
        _fail(stored, exc)
    application = Application(
        call=call,
        status=ApplicationStatus.SUBMITTED,
        organisation=data.organisation.strip(),
        organisation_number=number,
        organisation_key=key,
        organisation_type=data.organisation_type,
        country=data.country.upper(),
        contact_name=data.contact_name.strip(),
        contact_role=data.contact_role.strip(),
        contact_email=email,
        contact_phone=data.contact_phone.strip(),
        locale=data.locale,
        consent_public=data.consent_public,
        privacy_accepted_at=now,
        privacy_version=privacy.VERSION,
        created_at=now,
        status_changed_at=now,
    )
    _set_letter(application, data, stored)
    application.answers = [ApplicationAnswer(question_id=q, value=v) for q, v in answers.items()]
    application.confirmations = [
        ApplicationConfirmation(requirement_id=r.id, confirmed_at=now) for r in call.requirements
    ]
    db.session.add(application)
    token = mint_token(application)
    db.session.flush()
    enqueue(application_mail(application, "received", token=token))
    try:
        _commit_keeping_files(stored.sha256 if stored else None)
    except IntegrityError as exc:  # the unique index: the same organisation at the same moment
        raise AlreadyApplied() from exc
    return ApplyResult(application_id=application.id, token=token)


@use_case
def update_application(
    application_id: int,
    data: ApplicationData,
    upload: letters.Upload | None = None,
    *,
    remove_letter_file: bool = False,
    now: datetime | None = None,
) -> Application:
    """The contact changes the application (or replaces the letter) before the deadline. The
    organisation number stays (it is what the application is). A replaced letter file stays in storage
    (files are never overwritten; another application may share it) unless nothing points to it."""
    stored = _store(upload)
    application = db.session.get(Application, application_id)
    if application is None:
        _fail(stored, NotFound())
    try:
        call = lock_call(application.call_id)
        db.session.refresh(application)  # as the lock left it
        now = now or utcnow()
        if not call.is_open(now):
            raise CallClosed()
        if application.status is ApplicationStatus.WITHDRAWN:
            raise NotAllowed(str(_l("This application was withdrawn.")))
        try:
            email = addresses.normalise_email(data.contact_email)
        except addresses.InvalidEmailAddress as exc:
            raise ValidationFailed("contact_email", exc.message) from exc
        keeps_file = application.letter_sha256 is not None and not remove_letter_file
        _check_letter(call, data, has_file=stored is not None or keeps_file)
        answers = _answers(call, data)
    except (ValidationFailed, CallClosed, NotAllowed, NotFound) as exc:
        _fail(stored, exc)
    old_file = application.letter_sha256
    if remove_letter_file and stored is None:
        application.letter_sha256, application.letter_size = None, None
        application.letter_file_type, application.letter_name = "", ""
    application.organisation = data.organisation.strip()
    application.organisation_type = data.organisation_type
    application.contact_name, application.contact_role = data.contact_name.strip(), data.contact_role.strip()
    application.contact_email, application.contact_phone = email, data.contact_phone.strip()
    application.consent_public = data.consent_public
    _set_letter(application, data, stored)
    existing = {a.question_id: a for a in application.answers}
    application.answers = [existing[q] if q in existing else ApplicationAnswer(question_id=q) for q in answers]
    for answer in application.answers:
        answer.value = answers[answer.question_id]
    known = {c.requirement_id for c in application.confirmations}
    application.confirmations.extend(
        ApplicationConfirmation(requirement_id=r.id, confirmed_at=now) for r in call.requirements if r.id not in known
    )
    db.session.flush()
    _commit_keeping_files(stored.sha256 if stored else None)
    if old_file and old_file != application.letter_sha256:
        letters.forget_unless_used(old_file)
    return application


@use_case
def withdraw(application_id: int, *, now: datetime | None = None) -> Application:
    """The contact withdraws the application before the deadline; the organisation may apply again."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound()
    call = lock_call(application.call_id)
    db.session.refresh(application)  # as the lock left it
    now = now or utcnow()
    if not call.is_open(now):
        db.session.rollback()
        raise CallClosed()
    transition(application, ApplicationStatus.WITHDRAWN, now=now)
    db.session.commit()
    return application


def transition(application: Application, to: ApplicationStatus, *, now: datetime) -> None:
    """The one place an application's status changes."""
    if to not in TRANSITIONS[application.status]:
        db.session.rollback()
        raise NotAllowed(
            str(
                _l(
                    "An application that is “%(status)s” cannot become “%(new)s”.",
                    status=application.status.label,
                    new=to.label,
                )
            )
        )
    application.status = to
    application.status_changed_at = now


# --- deciding ------------------------------------------------------------------------------------


class OverTarget(DomainError):
    """Accepting would take the call past the top of its target range: the organiser confirms by sending
    the decision again with ``accepted`` (the number accepted they saw)."""

    status_code = 409
    default_message = _l("Please confirm: this goes past the most organisations the call looks for.")

    def __init__(self, accepted: int, target_max: int) -> None:
        self.accepted = accepted
        self.target_max = target_max
        super().__init__()


def accepted_count(call_id: int) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.call_id == call_id, Application.status == ApplicationStatus.ACCEPTED)
        )
        or 0
    )


@use_case
def decide(
    application_id: int,
    to: ApplicationStatus,
    *,
    message: str,
    actor: User,
    confirmed_accepted: int | None = None,
    now: datetime | None = None,
) -> Application:
    """Accept, decline or put on hold, with ``message`` mailed to the contact in their language.

    Locks the call row and counts the accepted inside the lock: accepting when the call already has
    ``target_max`` accepted raises OverTarget unless the organiser confirmed exactly that count (so an
    acceptance by someone else meanwhile asks again). Side effects: the status, an audit entry, one mail.
    """
    from eventapp.calls.mail import application_mail

    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound()
    call = lock_call(application.call_id)
    db.session.refresh(application)  # as the lock left it
    now = now or utcnow()
    if to is ApplicationStatus.ACCEPTED and application.status is not ApplicationStatus.ACCEPTED:
        accepted = accepted_count(call.id)
        if accepted >= call.target_max and confirmed_accepted != accepted:
            db.session.rollback()
            raise OverTarget(accepted, call.target_max)
    transition(application, to, now=now)
    token = mint_token(application)
    enqueue(application_mail(application, to.value, token=token, note=message.strip()))
    audit.record(
        "call.decided",
        actor=actor,
        event_id=None,
        call_id=call.id,
        application_id=application.id,
        organisation=application.organisation,
        decision=to.value,
    )
    db.session.commit()
    return application
