"""The survey's charts, in the statistics pages' style (``statistics.charts``: accessible SVG, numbers
on the bars, a table beside each)."""

from __future__ import annotations

from babel.numbers import format_decimal
from flask_babel import gettext as _
from markupsafe import Markup

from eventapp.formatting import format_locale
from eventapp.statistics.charts import Bar, bar_chart
from eventapp.statistics.report import day, number, share
from eventapp.surveys.queries import EventAverages, Results


def decimal(value: float | None) -> str:
    """An average as the reader writes it, one decimal: 4.2 / 4,2."""
    return "–" if value is None else format_decimal(round(value, 1), format="0.0", locale=format_locale())


def question_charts(results: Results) -> dict[int, Markup]:
    """A bar chart per question that has choices or a scale, by question id."""
    out: dict[int, Markup] = {}
    for i, result in enumerate(results.questions, start=1):
        if not result.options:
            continue
        total = sum(option.count for option in result.options) or 0
        bars = [Bar(o.label, o.count, f"{number(o.count)} ({share(o.count, total)})") for o in result.options]
        description = "; ".join(f"{o.label}: {number(o.count)}" for o in result.options)
        if result.average is not None:
            description += ". " + _("Average: %(average)s", average=decimal(result.average))
        out[result.question.id] = bar_chart(
            bars,
            chart_id=f"chart-q{i}",
            title=_("Answers to “%(question)s”", question=result.question.label),
            description=description,
        )
    return out


def programme_charts(rows: list[EventAverages]) -> dict[str, Markup]:
    """The averages of the 1-5 and the 0-10 questions, one bar per event in time order."""
    out: dict[str, Markup] = {}
    for key, attribute, title in (
        ("scale", "scale", _("Average on the 1 to 5 questions, event by event")),
        ("recommend", "recommend", _("Average on “would recommend” (0 to 10), event by event")),
    ):
        shown = [row for row in rows if getattr(row, attribute) is not None]
        if not shown:
            continue
        bars = [
            Bar(f"{day(row.event.local_starts_at.date())} {row.event.title}", round(getattr(row, attribute) * 100),
                decimal(getattr(row, attribute)))
            for row in shown
        ]  # fmt: skip
        out[key] = bar_chart(
            bars,
            chart_id=f"chart-{key}",
            title=title,
            description="; ".join(f"{b.label}: {b.text}" for b in bars),
        )
    return out
