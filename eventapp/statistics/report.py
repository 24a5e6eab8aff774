"""What the statistics pages show, written for the reader: numbers with the thousands separator of
their language, percentages rounded to what a report needs, dates and country names in their
language, and the charts (``charts``) built from the query results (``queries``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, get_timezone_name
from babel.numbers import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from eventapp.formatting import format_locale
from eventapp.statistics import charts
from eventapp.statistics.queries import (
    CountryCount,
    EventStatistics,
    OrganisationTypeCount,
    ProgrammeEvent,
    ProgrammeStatistics,
    Timeline,
)

#: The country chart shows this many countries by name, the rest as one bar (the table lists all).
COUNTRY_BARS = 8


def number(value: int) -> str:
    """12 345 / 12,345, as the reader writes it."""
    return format_decimal(value, locale=format_locale())


def percent(rate: float | None) -> str:
    """A share as a percentage: whole numbers (87 %), one decimal under 10 % and just under 100 %
    (3.5 %, 99.6 %), so that nothing small reads as 0 % and nothing short of all reads as 100 %."""
    if rate is None:
        return "–"
    value = round(rate, 2) if rate == 0 or 0.1 <= rate < 0.995 or rate >= 1 else round(rate, 3)
    if rate > 0 and value == 0:
        value = 0.001
    return format_percent(value, locale=format_locale(), decimal_quantization=False)


def share(part: int, whole: int) -> str:
    return percent(part / whole) if whole else "–"


def day(value: date) -> str:
    """'11 Dec 2020' / '11. des. 2020'."""
    return format_date(value, format="medium", locale=format_locale())


def zone_label(zone_name: str) -> str:
    """A zone by its generic name: 'Central European Time' / 'sentraleuropeisk tid'."""
    return get_timezone_name(zone_name, width="long", locale=format_locale())


TEMPLATE_HELPERS = {"number": number, "percent": percent, "share": share, "day": day, "zone_label": zone_label}


# --- charts ----------------------------------------------------------------------------------------


def timeline_chart(timeline: Timeline, *, chart_id: str = "chart-timeline") -> Markup:
    every_day = timeline.every_day()
    last = every_day[-1]
    series = [
        charts.Series(
            values=[d.signed_up_so_far for d in every_day],
            legend=_("All sign-ups: %(count)s", count=number(last.signed_up_so_far)),
        ),
        charts.Series(
            values=[d.active_so_far for d in every_day],
            legend=_("Still registered: %(count)s", count=number(last.active_so_far)),
        ),
    ]
    return charts.step_chart(
        [day(d.day) for d in every_day],
        series,
        chart_id=chart_id,
        title=_("Registrations over time"),
        description=_(
            "Step chart of the number of sign-ups so far, day by day from %(first)s to %(last)s: "
            "%(total)s in all, of whom %(active)s are still registered (the rest cancelled or were not "
            "approved).",
            first=day(every_day[0].day),
            last=day(last.day),
            total=number(last.signed_up_so_far),
            active=number(last.active_so_far),
        ),
        y_text=number,
    )


def _bars(items: list[tuple[str, int]], total: int) -> list[charts.Bar]:
    return [
        charts.Bar(label=label, value=count, text=f"{number(count)} ({share(count, total)})") for label, count in items
    ]


def _largest(items: list[tuple[str, int]], total: int) -> dict[str, str]:
    label, count = max(items, key=lambda item: item[1])
    return {"total": number(total), "label": label, "count": number(count), "share": share(count, total)}


def organisation_type_chart(counts: list[OrganisationTypeCount], *, chart_id: str = "chart-types") -> Markup:
    items = [(c.label, c.count) for c in counts]
    total = sum(c.count for c in counts)
    return charts.bar_chart(
        _bars(items, total),
        chart_id=chart_id,
        title=_("Registrations by organisation type"),
        description=_(
            "Bar chart of the %(total)s active registrations by organisation type. The most come from "
            "this type: %(label)s, %(count)s (%(share)s).",
            **_largest(items, total),
        ),
    )


def country_chart(counts: list[CountryCount], *, chart_id: str = "chart-countries") -> Markup:
    total = sum(c.count for c in counts)
    items = [(c.name, c.count) for c in counts[:COUNTRY_BARS]]
    rest = counts[COUNTRY_BARS:]
    if rest:
        items.append((_("%(count)s other countries", count=number(len(rest))), sum(c.count for c in rest)))
    return charts.bar_chart(
        _bars(items, total),
        chart_id=chart_id,
        title=_("Registrations by country"),
        description=_(
            "Bar chart of the %(total)s active registrations by country. The most come from %(label)s: "
            "%(count)s (%(share)s).",
            **_largest(items, total),
        ),
    )


def events_chart(rows: list[ProgrammeEvent], *, chart_id: str = "chart-events") -> Markup:
    """Active registrations per event of a programme."""
    total = sum(row.statuses.active for row in rows)
    items = [(f"{day(row.event.local_starts_at.date())}: {row.event.title}", row.statuses.active) for row in rows]
    return charts.bar_chart(
        _bars(items, total),
        chart_id=chart_id,
        title=_("Registrations per event"),
        description=_(
            "Bar chart of the active registrations of each of the programme's %(events)s events, %(total)s in all.",
            events=number(len(rows)),
            total=number(total),
        ),
    )


@dataclass(frozen=True)
class Charts:
    timeline: Markup
    #: None when nobody is registered any more (every sign-up cancelled or not approved).
    organisation_types: Markup | None
    countries: Markup | None
    events: Markup | None = None


def charts_for(stats: EventStatistics | ProgrammeStatistics) -> Charts | None:
    """The charts of an event's or a programme's statistics; None when there is nothing to draw."""
    if stats.is_empty:
        return None
    active = stats.statuses.active > 0
    return Charts(
        timeline=timeline_chart(stats.timeline),
        organisation_types=organisation_type_chart(stats.organisation_types) if active else None,
        countries=country_chart(stats.countries) if active else None,
        events=events_chart(stats.events) if isinstance(stats, ProgrammeStatistics) else None,
    )
