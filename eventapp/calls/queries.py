"""Reads of calls and applications (each with its number of queries stated)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.interfaces import LoaderOption

from eventapp.calls.enums import ApplicationStatus
from eventapp.calls.models import Application, ApplicationToken, Call, CallTranslation
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.programmes.models import Programme
from eventapp.security import hash_token, looks_like_token


def in_locale(locale: str | None) -> LoaderOption:
    """Loader option: each call's translation into ``locale`` only (at most one row), in the same query;
    ``Call.content(locale)`` then reads it."""
    return joinedload(Call.translations.and_(CallTranslation.locale == (locale or "")))


def open_calls(
    *, programme_id: int | None = None, now: datetime | None = None, locale: str | None = None
) -> tuple[list[Call], datetime | None]:
    """Calls open now (of one programme, or of all), by deadline, with their programmes and their
    translation into ``locale``, and the moment that list next changes (a deadline passes, or a call
    opens): until then a page showing it is true. One query."""
    now = now or utcnow()
    stmt = (
        select(Call)
        .where(Call.closes_at > now)
        .options(
            joinedload(Call.programme).load_only(Programme.slug, Programme.title, Programme.language),
            in_locale(locale),
        )
        .order_by(Call.closes_at, Call.id)
    )
    if programme_id is not None:
        stmt = stmt.where(Call.programme_id == programme_id)
    calls = list(db.session.scalars(stmt).unique())
    changes = [c.closes_at if c.opens_at <= now else c.opens_at for c in calls]
    return [c for c in calls if c.opens_at <= now], min(changes, default=None)


def call_for_page(slug: str, call_id: int, locale: str | None = None) -> Call | None:
    """The call of the programme ``slug``, with its translation into ``locale``, its checklist and
    questions. Two queries."""
    stmt = (
        select(Call)
        .join(Call.programme)
        .where(Call.id == call_id, Programme.slug == slug)
        .options(
            joinedload(Call.programme),
            in_locale(locale),
            selectinload(Call.requirements),
            selectinload(Call.questions),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()


def application_by_token(token: str) -> Application | None:
    """The application a personal link opens, with its call and programme. One query."""
    if not looks_like_token(token):
        return None
    stmt = (
        select(Application)
        .join(ApplicationToken, ApplicationToken.application_id == Application.id)
        .where(ApplicationToken.token_hash == hash_token(token))
        .options(
            joinedload(Application.call).joinedload(Call.programme),
            selectinload(Application.answers),
            selectinload(Application.confirmations),
        )
    )
    return db.session.scalars(stmt).unique().one_or_none()


def calls_of_programmes(programme_ids: list[int]) -> list[Call]:
    """Every call of these programmes, newest deadline first. One query."""
    if not programme_ids:
        return []
    stmt = (
        select(Call)
        .where(Call.programme_id.in_(programme_ids))
        .options(joinedload(Call.programme).load_only(Programme.slug, Programme.title, Programme.language))
        .order_by(Call.closes_at.desc(), Call.id)
    )
    return list(db.session.scalars(stmt))


@dataclass(frozen=True)
class ReviewRow:
    application: Application
    #: The checklist's statements this application has not confirmed (added after it was sent).
    missing: list[str]
    #: Question id → answer text.
    answers: dict[int, str]


@dataclass(frozen=True)
class Review:
    rows: list[ReviewRow]
    accepted: int
    by_country: list[tuple[str, int]]
    countries: list[str]


SORTS = {
    "received": lambda row: (row.application.created_at, row.application.id),
    "organisation": lambda row: (row.application.organisation.casefold(), row.application.id),
    "country": lambda row: (row.application.country, row.application.organisation.casefold()),
    "type": lambda row: (row.application.organisation_type.value, row.application.organisation.casefold()),
    "status": lambda row: (row.application.status.value, row.application.organisation.casefold()),
    "requirements": lambda row: (len(row.missing), row.application.id),
    "letter": lambda row: (not row.application.has_letter, row.application.id),
}


def review(call: Call, *, status: str = "", country: str = "", org_type: str = "", letter: str = "",
           requirements: str = "", sort: str = "received") -> Review:  # fmt: skip
    """Every application of ``call`` (withdrawn ones only when asked for by status) with what the review
    list shows; filtered and sorted. Three queries whatever the number of applications (applications,
    their answers, their confirmations); the call's checklist and questions are loaded by the caller."""
    stmt = (
        select(Application)
        .where(Application.call_id == call.id)
        .options(selectinload(Application.answers), selectinload(Application.confirmations))
        .order_by(Application.id)
    )
    applications = list(db.session.scalars(stmt))
    live = [a for a in applications if a.status is not ApplicationStatus.WITHDRAWN]
    accepted = [a for a in live if a.status is ApplicationStatus.ACCEPTED]
    by_country = sorted(Counter(a.country for a in accepted).items())
    rows = []
    for application in applications:
        confirmed = {c.requirement_id for c in application.confirmations}
        rows.append(
            ReviewRow(
                application=application,
                missing=[r.text for r in call.requirements if r.id not in confirmed],
                answers={a.question_id: a.value for a in application.answers},
            )
        )
    if status:
        rows = [r for r in rows if r.application.status.value == status]
    else:
        rows = [r for r in rows if r.application.status is not ApplicationStatus.WITHDRAWN]
    if country:
        rows = [r for r in rows if r.application.country == country]
    if org_type:
        rows = [r for r in rows if r.application.organisation_type.value == org_type]
    if letter in ("yes", "no"):
        rows = [r for r in rows if r.application.has_letter == (letter == "yes")]
    if requirements in ("all", "missing"):
        rows = [r for r in rows if (not r.missing) == (requirements == "all")]
    rows.sort(key=SORTS.get(sort, SORTS["received"]))
    return Review(
        rows=rows,
        accepted=len(accepted),
        by_country=by_country,
        countries=sorted({a.country for a in live}),
    )


def members(programme_id: int, locale: str | None = None) -> list[tuple[Call, list[Application]]]:
    """The organisations accepted to the programme's calls that agreed to be listed, by call (newest
    deadline first, with its translation into ``locale``) and name. One query."""
    stmt = (
        select(Application)
        .join(Application.call)
        .where(
            Call.programme_id == programme_id,
            Application.status == ApplicationStatus.ACCEPTED,
            Application.consent_public.is_(True),
        )
        .options(
            joinedload(Application.call)
            .load_only(Call.id, Call.title, Call.kind, Call.language, Call.closes_at)
            .joinedload(Call.translations.and_(CallTranslation.locale == (locale or "")))
        )
        .order_by(Call.closes_at.desc(), Call.id, Application.organisation)
    )
    grouped: dict[int, tuple[Call, list[Application]]] = {}
    for application in db.session.scalars(stmt).unique():
        grouped.setdefault(application.call_id, (application.call, []))[1].append(application)
    return list(grouped.values())


def applications_with_letters(call_id: int) -> list[Application]:
    """The call's live applications that have a letter file, by organisation. One query."""
    stmt = (
        select(Application)
        .where(
            Application.call_id == call_id,
            Application.status != ApplicationStatus.WITHDRAWN,
            Application.letter_sha256.is_not(None),
        )
        .order_by(Application.organisation, Application.id)
    )
    return list(db.session.scalars(stmt))
