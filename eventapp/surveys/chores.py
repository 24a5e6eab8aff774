"""The worker's survey work: the survey link to the people who came, and one reminder three days later.

The link normally rides in the materials' follow-up mail (``invite_with_followup``). When that mail has
not gone a day after the event ended (or went before the survey existed), the people who came get the
link in a mail of its own. Three days after their link went out, those who have not answered get one
reminder. Each batch is one transaction under the survey's row lock, so several workers mail each person
once; ``now`` moves time in tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, exists, or_, select

from eventapp.db import begin_write, utcnow
from eventapp.events.enums import EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.services import enqueue
from eventapp.registrations.models import Registration
from eventapp.registrations.services import mint_token
from eventapp.surveys import attendance, mails
from eventapp.surveys.models import DEFAULT_OPEN_FOR, Survey, SurveyInvitation, SurveyQuestion
from eventapp.transactions import use_case

#: How long the survey link waits for the follow-up mail before it goes in a mail of its own.
WAIT_FOR_FOLLOWUP = timedelta(days=1)
#: When the one reminder goes, after the link.
REMIND_AFTER = timedelta(days=3)


def _open_surveys(now: datetime) -> list[int]:
    """Surveys taking answers at ``now``: their event ended, they have not closed (``Survey.closing_at``:
    nobody is asked or reminded after that)."""
    not_closed = or_(Survey.closes_at > now, and_(Survey.closes_at.is_(None), Event.ends_at > now - DEFAULT_OPEN_FOR))
    ids = list(db.session.scalars(
        select(Survey.id).join(Event, Event.id == Survey.event_id)
        .where(Event.ends_at <= now, not_closed, Event.status != EventStatus.CANCELLED,
               exists().where(SurveyQuestion.survey_id == Survey.id))
        .order_by(Survey.id)
    ))  # fmt: skip
    db.session.rollback()
    return ids


def _lock_survey(survey_id: int) -> Survey | None:
    begin_write(db.session)
    return db.session.scalars(select(Survey).where(Survey.id == survey_id).with_for_update()).one_or_none()


@use_case
def send_invitations(*, now: datetime | None = None, batch: int = 200) -> int:
    """The survey link to each person who came and has not had it (nor answered), once the follow-up mail
    has gone or a day has passed since the event ended. Returns how many mails were written."""
    now = now or utcnow()
    sent = 0
    for survey_id in _open_surveys(now):
        while True:
            survey = _lock_survey(survey_id)
            if survey is None:
                db.session.rollback()
                break
            event = survey.event
            if event.materials_mail_sent_at is None and event.ends_at > now - WAIT_FOR_FOLLOWUP:
                db.session.rollback()
                break
            invited = select(SurveyInvitation.id).where(
                SurveyInvitation.survey_id == survey.id,
                SurveyInvitation.registration_id == Registration.id,
                or_(SurveyInvitation.mailed_at.is_not(None), SurveyInvitation.answered.is_(True)),
            )
            due = list(db.session.scalars(
                attendance.who_came(event).where(~exists(invited)).order_by(Registration.id).limit(batch)
            ))  # fmt: skip
            if not due:
                db.session.rollback()
                break
            known = {
                row.registration_id: row
                for row in db.session.scalars(
                    select(SurveyInvitation).where(
                        SurveyInvitation.survey_id == survey.id,
                        SurveyInvitation.registration_id.in_([r.id for r in due]),
                    )
                )
            }
            for registration in due:
                invitation = known.get(registration.id)
                if invitation is None:
                    invitation = SurveyInvitation(survey_id=survey.id, registration_id=registration.id, answered=False)
                    db.session.add(invitation)
                invitation.mailed_at = now
                enqueue(mails.survey_invitation(registration, survey, token=mint_token(registration)))
                sent += 1
            db.session.commit()
    return sent


@use_case
def send_reminders(*, now: datetime | None = None, batch: int = 200) -> int:
    """One reminder to each person whose link went out at least three days ago and who has not answered
    (while the survey is open). Returns how many."""
    now = now or utcnow()
    sent = 0
    for survey_id in _open_surveys(now):
        while True:
            survey = _lock_survey(survey_id)
            if survey is None:
                db.session.rollback()
                break
            due = list(db.session.execute(
                select(SurveyInvitation, Registration)
                .join(Registration, Registration.id == SurveyInvitation.registration_id)
                .where(SurveyInvitation.survey_id == survey.id, SurveyInvitation.answered.is_(False),
                       SurveyInvitation.reminded_at.is_(None), SurveyInvitation.mailed_at <= now - REMIND_AFTER,
                       attendance.came_clause(survey.event))
                .order_by(SurveyInvitation.id).limit(batch)
            ))  # fmt: skip
            if not due:
                db.session.rollback()
                break
            for invitation, registration in due:
                invitation.reminded_at = now
                enqueue(mails.survey_reminder(registration, survey, token=mint_token(registration)))
                sent += 1
            db.session.commit()
    return sent


def run(*, now: datetime | None = None) -> tuple[int, int]:
    """For the worker: invitations, then reminders. Returns (invited, reminded)."""
    return send_invitations(now=now), send_reminders(now=now)


def invite_with_followup(event: Event, registrations: list[Registration], *, now: datetime) -> set[int]:
    """For the materials' follow-up mail, in its transaction: of ``registrations`` (the people it goes
    to), those who came and should get the survey link in it, now marked as mailed. Returns their ids."""
    survey = db.session.scalars(select(Survey).where(Survey.event_id == event.id)).one_or_none()
    if survey is None or not survey.is_open(now) or not registrations:
        return set()
    ids = [r.id for r in registrations]
    came = set(db.session.scalars(
        select(Registration.id).where(Registration.id.in_(ids), attendance.came_clause(event))
    ))  # fmt: skip
    known = {
        row.registration_id: row
        for row in db.session.scalars(
            select(SurveyInvitation).where(
                SurveyInvitation.survey_id == survey.id, SurveyInvitation.registration_id.in_(ids)
            )
        )
    }
    chosen: set[int] = set()
    for registration_id in sorted(came):
        invitation = known.get(registration_id)
        if invitation is not None and (invitation.mailed_at is not None or invitation.answered):
            continue
        if invitation is None:
            db.session.add(SurveyInvitation(survey_id=survey.id, registration_id=registration_id, mailed_at=now,
                                            answered=False))  # fmt: skip
        else:
            invitation.mailed_at = now
        chosen.add(registration_id)
    return chosen
