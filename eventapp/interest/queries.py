"""Reads of interest lists for the back office: counts, one page of subscribers, the export."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from eventapp.extensions import db
from eventapp.i18n import SUPPORTED_LOCALES
from eventapp.interest.enums import SubscriptionStatus
from eventapp.interest.models import InterestSubscription

PAGE_SIZE = 100


@dataclass(frozen=True)
class Counts:
    """How many people a list holds, by status, and the confirmed ones by language."""

    by_status: dict[SubscriptionStatus, int] = field(default_factory=dict)
    #: (language, confirmed, waiting) in the order of the language switcher; languages with nobody left out.
    by_language: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def confirmed(self) -> int:
        return self.by_status.get(SubscriptionStatus.CONFIRMED, 0)

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


def counts(programme_id: int) -> Counts:
    """The list's counts by status and language. One query."""
    rows = db.session.execute(
        select(InterestSubscription.status, InterestSubscription.locale, func.count())
        .where(InterestSubscription.programme_id == programme_id)
        .group_by(InterestSubscription.status, InterestSubscription.locale)
    ).all()
    by_status: dict[SubscriptionStatus, int] = {}
    per_locale: dict[str, list[int]] = {}
    for status, locale, count in rows:
        by_status[status] = by_status.get(status, 0) + count
        per_locale.setdefault(locale, [0, 0])[0 if status is SubscriptionStatus.CONFIRMED else 1] += count
    order = {code: i for i, code in enumerate(SUPPORTED_LOCALES)}
    languages = sorted(per_locale.items(), key=lambda item: order.get(item[0], len(order)))
    return Counts(by_status=by_status, by_language=[(code, c, w) for code, (c, w) in languages])


def page_of_subscribers(programme_id: int, *, page: int = 1) -> list[InterestSubscription]:
    """One page (``PAGE_SIZE``) of the list, newest request first. One query."""
    return list(
        db.session.scalars(
            select(InterestSubscription)
            .where(InterestSubscription.programme_id == programme_id)
            .order_by(InterestSubscription.requested_at.desc(), InterestSubscription.id.desc())
            .limit(PAGE_SIZE)
            .offset((max(page, 1) - 1) * PAGE_SIZE)
        )
    )


def export_rows(programme_id: int) -> list[InterestSubscription]:
    """Everyone on the list, confirmed first, by name. One query."""
    return list(
        db.session.scalars(
            select(InterestSubscription)
            .where(InterestSubscription.programme_id == programme_id)
            .order_by(InterestSubscription.status, InterestSubscription.name, InterestSubscription.id)
        )
    )
