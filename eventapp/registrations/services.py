"""Signing up, cancelling, approving, promoting: the registration use cases.

Every use case that can take or free a seat runs in one transaction that first locks the event row
(``SELECT ... FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE`` on SQLite) and counts inside the lock, so
two people can never take the last seat at once. Mail goes into the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from eventapp import addresses
from eventapp.about import privacy
from eventapp.accounts import audit
from eventapp.accounts.enums import AuditRole
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import AlreadyRegistered, NotAllowed, NotFound, RegistrationClosed, ValidationFailed
from eventapp.events.locking import lock_event
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.enums import MailReason
from eventapp.registrations import drafts, gates, messages, queries, rows
from eventapp.registrations.enums import (
    ACTIVE_STATUSES,
    TRANSITIONS,
    AttendanceMode,
    OrganisationType,
    QuestionKind,
    RegistrationStatus,
    WaitlistMode,
)
from eventapp.registrations.models import (
    Registration,
    RegistrationAnswer,
    RegistrationToken,
    RequirementConfirmation,
)
from eventapp.registrations.orgnumbers import InvalidOrganisationNumber, normalise, organisation_key
from eventapp.registrations.queries import RegistrationState
from eventapp.security import hash_token, new_token
from eventapp.transactions import use_case


@dataclass(frozen=True)
class RegistrationData:
    """What a person entered on the sign-up form (already checked for shape by the form)."""

    name: str
    email: str
    organisation: str
    organisation_type: OrganisationType
    country: str
    accept_privacy: bool
    locale: str
    job_title: str = ""
    organisation_number: str = ""
    confirmed_requirements: frozenset[int] = frozenset()
    answers: dict[int, str | list[str]] = field(default_factory=dict)
    #: The pass of a restricted event (``registrations.gates``): a call's accepted organisation's link token.
    pass_token: str = ""
    #: On site or online: required for a hybrid event, ignored for any other.
    attendance: AttendanceMode | None = None


@dataclass(frozen=True)
class SignUpResult:
    registration_id: int
    token: str
    status: RegistrationStatus


def normalise_email(email: str) -> str:
    """The stored form of an address (eventapp.addresses); ValidationFailed on ``email`` if unusable."""
    try:
        return addresses.normalise_email(email)
    except addresses.InvalidEmailAddress as exc:
        raise ValidationFailed("email", exc.message) from exc


def transition(registration: Registration, to: RegistrationStatus, *, now: datetime) -> None:
    """The one place a registration's status changes; refuses moves the rules do not allow."""
    if to not in TRANSITIONS[registration.status]:
        raise NotAllowed(_l("A registration that is %(status)s cannot become %(new)s.",
                                status=registration.status.label, new=to.label))  # fmt: skip
    registration.status = to
    registration.status_changed_at = now
    registration.offer_expires_at = None


def mint_token(registration: Registration) -> str:
    """A new personal link for ``registration`` (its hash joins the session); earlier links keep working."""
    token = new_token()
    db.session.add(RegistrationToken(registration=registration, token_hash=hash_token(token)))
    return token


def count_invitation(registration: Registration, reason: MailReason, *, withdraw_calendar: bool = False) -> None:
    """Before a mail for ``reason`` is built: if it carries an invitation (REQUEST or CANCEL), count it.
    Every invitation after the first raises the registration's calendar counter, so its SEQUENCE is
    above every earlier one under the registration's UID."""
    if messages.calendar_method_for(reason, withdraw_calendar=withdraw_calendar) is not None:
        count = registration.calendar_sequence
        registration.calendar_sequence = 0 if count is None else count + 1


def mail_registration(
    registration: Registration, reason: MailReason, *, now: datetime, note: str = "", withdraw_calendar: bool = False
) -> None:
    """Enqueue the mail for ``reason`` with a fresh personal link (only hashes are stored, so every
    mail that carries a link mints one), as a draft the mail worker renders (``registrations.drafts``)."""
    count_invitation(registration, reason, withdraw_calendar=withdraw_calendar)
    token = mint_token(registration)
    drafts.enqueue_registration_mail(
        registration, reason, token=token, now=now, note=note, withdraw_calendar=withdraw_calendar
    )


def _check_answers(event: Event, data: RegistrationData, *, by_hand: bool = False) -> tuple[dict[int, str], str, str]:
    """Validate what the form cannot know (the event's own rules). Returns answers as text, the
    canonical organisation number and the organisation key."""
    if not data.accept_privacy and not by_hand:
        raise ValidationFailed("accept_privacy", _l("Please accept the privacy notice to sign up."))
    for requirement in [] if by_hand else event.requirements:
        if requirement.id not in data.confirmed_requirements:
            raise ValidationFailed(requirement.field_name, _l("Your organisation must confirm this to take part."))
    answers: dict[int, str] = {}
    for question in event.custom_questions:
        value = data.answers.get(question.id)
        values = value if isinstance(value, list) else ([value] if value else [])
        values = [v.strip() for v in values if v and v.strip()]
        if question.required and not values and not by_hand:
            raise ValidationFailed(question.field_name, _l("Please answer this question."))
        allowed = {
            QuestionKind.SINGLE_CHOICE: question.choice_list,
            QuestionKind.MULTIPLE_CHOICE: question.choice_list,
            QuestionKind.YES_NO: ["yes", "no"],
        }.get(question.kind)
        if allowed is not None and any(v not in allowed for v in values):
            raise ValidationFailed(question.field_name, _l("Please choose one of the options."))
        if values:
            answers[question.id] = "\n".join(values)
    number = ""
    if data.organisation_number.strip():
        try:
            number = normalise(data.country, data.organisation_number)
        except InvalidOrganisationNumber as exc:
            raise ValidationFailed("organisation_number", exc.message) from exc
    return answers, number, organisation_key(data.country, number or None, data.organisation)


def _attendance(event: Event, data: RegistrationData) -> AttendanceMode | None:
    """The mode a person chose: required at a hybrid event (no silent default), none at any other."""
    if not event.is_hybrid:
        return None
    if data.attendance is None:
        raise ValidationFailed("attendance", _l("Please choose whether you come on site or take part online."))
    return data.attendance


@use_case
def register(
    event_id: int, data: RegistrationData, *, now: datetime | None = None, added_by: User | None = None
) -> SignUpResult:
    """Sign a person up for an event.

    ``added_by``: an organiser adds the person by hand. The registration window, approval, the gate of a
    restricted event and the event's requirements and questions do not apply (the organiser vouches);
    seats, the waiting list, the quota and one registration per address do. The person is mailed as usual.

    A restricted event (``registrations.gates``) takes only a ``data.pass_token`` its gate admits
    (NotAdmitted otherwise, with whom to ask); the person then signs up as the pass's organisation, so
    the organisation quota counts its people together, whatever was typed.

    Locks the event row, checks the window, the event's questions and requirements, the address
    (one active registration per address), the organisation quota and the seats, all inside the lock.
    The person is confirmed (a seat is free, no approval), waitlisted (full, waiting list on), or
    pending (approval mode); otherwise RegistrationClosed. Side effects: a registration with its
    answers, confirmations and a link token; one outbox draft, rendered by the mail worker after the
    commit (confirmed: with a METHOD:REQUEST invite).
    Raises AlreadyRegistered (nothing written), ValidationFailed (field, message), RegistrationClosed,
    NotAdmitted.
    """
    email = normalise_email(data.email)
    event = lock_event(event_id)
    now = now or utcnow()  # read inside the lock: sign-up times follow the order of the waiting list
    counts, existing_id = queries.seat_counts_and_registration(event.id, email, now=now)
    situation = queries.situation(event, counts, now=now)
    attendance = _attendance(event, data)  # a hybrid event: the seats and waiting list of the chosen mode
    if attendance is not None:
        situation = queries.situation(event, counts, now=now, mode=attendance)
        if situation.state is RegistrationState.FULL and added_by is None:  # the other mode may have room
            raise ValidationFailed("attendance", queries.MODE_FULL_MESSAGES[attendance])
    by_hand_allowed = added_by is not None and situation.state in (
        RegistrationState.NOT_YET_OPEN,
        RegistrationState.CLOSED,
        RegistrationState.FULL,
    )
    if not situation.state.accepts_sign_ups and not by_hand_allowed:
        raise RegistrationClosed(str(queries.CLOSED_MESSAGES.get(situation.state, RegistrationClosed.default_message)))
    if added_by is None:  # the gate of a restricted event, inside the lock with the quota below
        admission = gates.admission(event, data.pass_token)
        if not admission.admitted:
            raise gates.NotAdmitted(admission.reason or None)
        if admission.restricted and admission.organisation_type is not None:
            data = replace(data, organisation=admission.organisation, organisation_number=admission.organisation_number,
                           country=admission.country, organisation_type=admission.organisation_type)  # fmt: skip
    if existing_id is not None:
        raise AlreadyRegistered(existing_id)
    answers, number, org_key = _check_answers(event, data, by_hand=added_by is not None)
    if event.quota_per_organisation is not None and (
        queries.organisation_count(event.id, org_key) >= event.quota_per_organisation
    ):
        raise ValidationFailed(
            "organisation",
            _l("%(organisation)s already has %(count)d people registered, the most this event takes "
                   "from one organisation.", organisation=data.organisation, count=event.quota_per_organisation),
        )  # fmt: skip

    if event.requires_approval and added_by is None:
        status = RegistrationStatus.PENDING
    elif situation.seats_left is None or situation.seats_left > 0:
        status = RegistrationStatus.CONFIRMED
    else:
        status = RegistrationStatus.WAITLISTED
    name = data.name.strip()
    reason = MailReason(status)
    # A new registration's first invitation (if the mail carries one) is its SEQUENCE 0 (``count_invitation``).
    calendar_sequence = 0 if messages.calendar_method_for(reason) is not None else None
    token = new_token()
    registration = {
        "event_id": event.id, "status": status, "name": name, "email": email,
        "organisation": data.organisation.strip(), "organisation_type": data.organisation_type,
        "country": data.country.upper(), "job_title": data.job_title.strip(), "organisation_number": number,
        "organisation_key": org_key, "locale": data.locale, "privacy_accepted_at": now,
        "privacy_version": "" if added_by is not None else privacy.VERSION,  # by hand: nobody accepted a text
        "created_at": now, "status_changed_at": now, "attendance": attendance,
        "calendar_sequence": calendar_sequence,
    }  # fmt: skip
    mail = drafts.registration_mail_values(  # rendered by the worker
        email=email, name=name, locale=data.locale, reason=reason, token=token, now=now,
        sequence=(event.calendar_sequence or 0) + (calendar_sequence or 0),  # ``invitation_sequence``
    )  # fmt: skip
    mail["event_id"] = event.id
    try:
        # The registration, its link token and its mail draft: one statement on PostgreSQL (``rows``).
        registration_id = rows.insert_sign_up(registration, token_hash=hash_token(token), mail=mail)
        if answers:
            db.session.execute(insert(RegistrationAnswer), [
                {"registration_id": registration_id, "question_id": qid, "value": value}
                for qid, value in answers.items()
            ])  # fmt: skip
        confirmed = [r.id for r in event.requirements if r.id in data.confirmed_requirements]
        if confirmed:
            db.session.execute(insert(RequirementConfirmation), [
                {"registration_id": registration_id, "requirement_id": rid, "confirmed_at": now} for rid in confirmed
            ])  # fmt: skip
        if added_by is not None:
            audit.record(  # names no one: the log view looks the person up when it is read
                "registration.added", actor=added_by, event_id=event.id, registration_id=registration_id,
                status=status.value,
            )  # fmt: skip
        db.session.commit()
    except IntegrityError as exc:  # the partial unique index: same address, same moment
        db.session.rollback()
        existing = queries.active_registration(event_id, email)
        if existing is None:
            raise
        raise AlreadyRegistered(existing.id) from exc
    return SignUpResult(registration_id=registration_id, token=token, status=status)


def fill_free_seats(event: Event, *, now: datetime) -> list[Registration]:
    """Give free seats to the people waiting, first come first served (the caller holds the lock).

    Automatic mode: confirmed at once, with an invitation. Offer mode: offered the seat until a
    deadline, by mail. Flushes only; returns who moved.
    """
    moved: list[Registration] = []
    if event.is_cancelled or event.is_past(now):
        return moved
    counts = queries.seat_counts(event.id, now=now)
    for pool in event.attendance_modes:  # a hybrid event: a freed seat on site goes to the on-site list
        moved += _fill_pool(event, pool, counts.of(pool), now=now)
    db.session.flush()
    return moved


def _fill_pool(
    event: Event, pool: AttendanceMode | None, counts: queries.SeatCounts, *, now: datetime
) -> list[Registration]:
    """``fill_free_seats`` for one pool of seats (a hybrid event's mode, or the event's one pool)."""
    moved: list[Registration] = []
    capacity = event.capacity_for(pool)
    free = None if capacity is None else capacity - counts.taken
    if free is not None and free <= 0:
        return moved
    waiting = db.session.scalars(
        select(Registration)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.WAITLISTED,
               queries.in_pool(pool))
        .order_by(Registration.id)
    )  # fmt: skip
    for registration in waiting:
        if free is not None and free <= 0:
            break
        if registration.offer_expires_at is not None and registration.offer_expires_at > now:
            continue  # already holds an offer (counted in ``taken``)
        if event.waitlist_mode is WaitlistMode.OFFER:
            registration.offer_expires_at = queries.offer_deadline(event, now)
            mail_registration(registration, MailReason.OFFER, now=now)
        else:
            transition(registration, RegistrationStatus.CONFIRMED, now=now)
            mail_registration(registration, MailReason.PROMOTED, now=now)
        moved.append(registration)
        if free is not None:
            free -= 1
    return moved


def fill_free_seats_locked(event: Event) -> list[Registration]:
    """For event use cases that hold the event's lock: give free seats to the people waiting."""
    return fill_free_seats(event, now=utcnow())


def mail_confirmed_attendees(event: Event, *, reason: MailReason) -> int:
    """Send every confirmed attendee the mail for ``reason`` (an updated invitation). The caller holds
    the event's lock and commits. Returns how many."""
    now = utcnow()
    confirmed = db.session.scalars(
        select(Registration).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.CONFIRMED
        )
    ).all()
    for registration in confirmed:
        mail_registration(registration, reason, now=now)
    return len(confirmed)


def mail_event_cancelled(event: Event, *, message: str) -> int:
    """Tell everyone on the event's lists that it is cancelled: confirmed attendees with METHOD:CANCEL
    (the entry leaves their calendar). The caller holds the lock and commits. Returns how many."""
    now = utcnow()
    active = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id, Registration.status.in_(ACTIVE_STATUSES))
    ).all()
    for registration in active:
        mail_registration(registration, MailReason.EVENT_CANCELLED, now=now, note=message,
              withdraw_calendar=registration.status is RegistrationStatus.CONFIRMED)  # fmt: skip
    return len(active)


def _load_for_change(registration_id: int) -> tuple[Registration, Event]:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound()
    event = lock_event(registration.event_id)
    registration = db.session.get(Registration, registration_id, populate_existing=True)
    assert registration is not None
    return registration, event


@use_case
def cancel_registration(
    registration_id: int, *, actor: User | None = None, now: datetime | None = None, note: str = ""
) -> list[Registration]:
    """The person (or an organiser) cancels: the seat is freed and given to the next person waiting,
    in the same transaction. Side effects: status cancelled; a mail (METHOD:CANCEL under the
    registration's own UID, with a higher SEQUENCE, if they had a confirmed seat; the event's SEQUENCE
    and its public calendars stay as they are); promotions with their mails.
    Returns who was promoted or offered the seat."""
    registration, event = _load_for_change(registration_id)
    now = now or utcnow()
    if not registration.is_active:
        raise NotAllowed(_l("This registration is already cancelled."))
    had_seat = registration.status is RegistrationStatus.CONFIRMED or registration.has_offer
    was_confirmed = registration.status is RegistrationStatus.CONFIRMED
    transition(registration, RegistrationStatus.CANCELLED, now=now)
    db.session.flush()
    mail_registration(registration, MailReason.CANCELLED, now=now, note=note, withdraw_calendar=was_confirmed)
    moved = fill_free_seats(event, now=now) if had_seat else []
    _audit("registration.cancelled", registration, actor, moved, note=note)
    db.session.commit()
    return moved


@use_case
def update_details(registration_id: int, *, name: str, job_title: str, organisation: str) -> None:
    """The person corrects how their name, title and organisation are written. One transaction."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound()
    if not registration.is_active:
        raise NotAllowed(_l("A cancelled registration cannot be changed."))
    registration.name = name.strip()
    registration.job_title = job_title.strip()
    registration.organisation = organisation.strip()
    db.session.commit()


@use_case
def approve(
    registration_id: int, *, actor: User | None = None, now: datetime | None = None, note: str = ""
) -> RegistrationStatus:
    """An organiser approves a pending registration: it takes a seat by the usual rules (confirmed if
    one is free, else the waiting list). Side effects: status, a mail (confirmed: with the invite)."""
    registration, event = _load_for_change(registration_id)
    now = now or utcnow()
    if registration.status is not RegistrationStatus.PENDING:
        raise NotAllowed(_l("Only a registration awaiting approval can be approved."))
    pool = registration.seat_pool  # a hybrid event: the seats of the person's mode
    counts = queries.seat_counts(event.id, now=now).of(pool)
    capacity = event.capacity_for(pool)
    free = capacity is None or counts.taken < capacity
    waiting_first = counts.waitlisted > 0  # nobody jumps the queue
    to = RegistrationStatus.CONFIRMED if free and not waiting_first else RegistrationStatus.WAITLISTED
    transition(registration, to, now=now)
    mail_registration(
        registration,
        MailReason.APPROVED if to is RegistrationStatus.CONFIRMED else MailReason.WAITLISTED,
        now=now,
        note=note,
    )
    _audit("registration.approved", registration, actor, [], note=note, status=to.value)
    db.session.commit()
    return to


@use_case
def reject(registration_id: int, *, actor: User | None = None, now: datetime | None = None, note: str = "") -> None:
    """An organiser turns a registration down (with an optional message). A freed seat goes to the next
    person waiting. Side effects: status, a mail (with METHOD:CANCEL if they were confirmed)."""
    registration, event = _load_for_change(registration_id)
    now = now or utcnow()
    had_seat = registration.status is RegistrationStatus.CONFIRMED or registration.has_offer
    was_confirmed = registration.status is RegistrationStatus.CONFIRMED
    transition(registration, RegistrationStatus.REJECTED, now=now)
    db.session.flush()
    mail_registration(registration, MailReason.REJECTED, now=now, note=note, withdraw_calendar=was_confirmed)
    moved = fill_free_seats(event, now=now) if had_seat else []
    _audit("registration.rejected", registration, actor, moved, note=note)
    db.session.commit()


@use_case
def confirm_from_waitlist(registration_id: int, *, actor: User, now: datetime | None = None) -> None:
    """An organiser gives a waitlisted person a free seat now, ahead of the automatic order (for
    example a speaker's colleague). Refused when no seat is free: raise the capacity first."""
    registration, event = _load_for_change(registration_id)
    now = now or utcnow()
    if registration.status is not RegistrationStatus.WAITLISTED:
        raise NotAllowed(_l("Only someone on the waiting list can be given a seat."))
    counts = queries.seat_counts(event.id, now=now).of(registration.seat_pool)
    capacity = event.capacity_for(registration.seat_pool)
    if capacity is not None and counts.taken >= capacity and not registration.has_offer:
        raise NotAllowed(_l("No seat is free. Raise the capacity first."))
    transition(registration, RegistrationStatus.CONFIRMED, now=now)
    mail_registration(registration, MailReason.PROMOTED, now=now)
    _audit("registration.confirmed_from_waitlist", registration, actor, [])
    db.session.commit()


def _audit(
    action: str, registration: Registration, actor: User | None, moved: list[Registration], *, note: str = "",
    **details: str,
) -> None:  # fmt: skip
    """Log a change of a registration by ids and role only; the log view writes the names when read."""
    audit.record(
        action,
        actor=actor,
        event_id=registration.event_id,
        registration_id=registration.id,
        role=AuditRole.ORGANISER if actor is not None else AuditRole.ATTENDEE,
        note=note,
        moved=[r.id for r in moved] or None,
        **details,
    )


#: What a person who cannot switch is told: the other mode has no free seat (they keep their own place).
SWITCH_FULL_MESSAGES = {
    AttendanceMode.ON_SITE: _l("There is no free seat on site just now, so you keep your place online."),
    AttendanceMode.ONLINE: _l("There is no free online place just now, so you keep your place on site."),
}


@use_case
def switch_attendance(
    registration_id: int, *, to: AttendanceMode, actor: User | None = None, now: datetime | None = None
) -> list[Registration]:
    """Move a registration of a hybrid event to the other mode (the person on their page, or an organiser).

    Under the event's lock. A confirmed person moves only into a free seat of the other mode; a waitlisted
    one who finds a free seat there takes it (confirmed); someone awaiting approval just changes their
    choice. When the other mode has no free seat, NotAllowed says so and nothing changes: nobody gives up
    a seat for a place on a waiting list by accident. The seat left behind goes to the first person
    waiting in that mode. Side effects: the mode (the seat counter follows by trigger), an audit entry,
    a mail with the updated invitation (SEQUENCE raised: venue or join link as the new mode has it) for
    a confirmed person, and the mails of whoever got the seat left behind. Returns them."""
    registration, event = _load_for_change(registration_id)
    now = now or utcnow()
    if not event.is_hybrid:
        raise NotAllowed(_l("Only a hybrid event can be attended on site or online."))
    if not registration.is_active or event.is_cancelled or event.is_past(now):
        raise NotAllowed(_l("This registration can no longer be changed."))
    if registration.seat_pool is to:
        return []
    held_seat = registration.status is RegistrationStatus.CONFIRMED or registration.has_offer
    if registration.status is not RegistrationStatus.PENDING:
        target = queries.situation(event, queries.seat_counts(event.id, now=now), now=now, mode=to)
        if target.seats_left is not None and target.seats_left <= 0:
            raise NotAllowed(SWITCH_FULL_MESSAGES[to])
    before = registration.seat_pool
    registration.attendance = to
    registration.offer_expires_at = None
    if registration.status is RegistrationStatus.WAITLISTED:
        transition(registration, RegistrationStatus.CONFIRMED, now=now)
    db.session.flush()
    if registration.status is RegistrationStatus.CONFIRMED:
        mail_registration(registration, MailReason.ATTENDANCE_CHANGED, now=now)
    moved = fill_free_seats(event, now=now) if held_seat else []
    _audit("registration.attendance_switched", registration, actor, moved, status=registration.status.value,
           attendance=audit.value(to), previous=audit.value(before))  # fmt: skip
    db.session.commit()
    return moved


@use_case
def accept_offer(registration_id: int, *, now: datetime | None = None) -> None:
    """A waitlisted person accepts the seat offered to them before the deadline. Side effects: status
    confirmed, a mail with the invite. Raises NotAllowed when there is no live offer."""
    registration, _event = _load_for_change(registration_id)
    now = now or utcnow()
    if not (registration.status is RegistrationStatus.WAITLISTED and registration.offer_expires_at
            and registration.offer_expires_at > now):  # fmt: skip
        raise NotAllowed(_l("There is no seat on offer for you any more."))
    transition(registration, RegistrationStatus.CONFIRMED, now=now)
    mail_registration(registration, MailReason.CONFIRMED, now=now)
    db.session.commit()


@use_case
def capacity_changed(event_id: int, *, now: datetime | None = None) -> list[Registration]:
    """After an organiser raises the capacity (or turns offers on or off): fill the free seats."""
    event = lock_event(event_id)
    now = now or utcnow()
    moved = fill_free_seats(event, now=now)
    db.session.commit()
    return moved


@use_case
def check_in(registration_id: int, *, actor: User, undo: bool = False) -> Registration:
    """Mark a confirmed attendee as arrived (or undo a mistaken check-in). One transaction."""
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound()
    if registration.status is not RegistrationStatus.CONFIRMED:
        raise NotAllowed(_l("Only confirmed attendees can be checked in."))
    registration.checked_in_at = None if undo else utcnow()
    audit.record(
        "registration.check_in_undone" if undo else "registration.checked_in",
        actor=actor,
        event_id=registration.event_id,
        registration_id=registration.id,
    )
    db.session.commit()
    return registration
