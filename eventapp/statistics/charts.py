"""Accessible SVG charts, drawn on the server from numbers: no script, no CDN, nothing but markup.

Pure functions: they take labels and numbers already written for the reader (formatted in their
language) and return the ``<svg>`` as safe markup for a template. Every chart:

* is an image with a name: ``role="img"``, a ``<title>`` and a ``<desc>`` tied to it by
  ``aria-labelledby``, the desc saying in words what the chart shows;
* writes its numbers on it (each bar carries its value; each line its last value, in the legend), and
  tells series apart by line pattern and text, never by colour alone;
* scales to its container (``viewBox``, ``width="100%"``) and is drawn for a narrow screen, so its
  text stays readable at 320 px;
* uses presentation attributes and CSS classes only, never ``style=``: the CSP forbids inline styles.

The page shows a table with the same numbers beside each chart.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

#: Width of every chart in SVG units; on a 320 px phone (288 px of content) one unit is 0.9 px, so
#: text of ``FONT_SIZE`` is 13.5 px there.
WIDTH = 320
FONT_SIZE = 15
#: A generous width of one character at ``FONT_SIZE``, bold (for reserving room for text: there is no
#: layout engine here).
CHAR_WIDTH = 9
INK = "#1a1a1a"
MUTED = "#4a4a4a"
GRID = "#d0d0d0"
#: Series colours (CSS may override them through the classes); both at least 3:1 against white.
SERIES_COLOURS = ("#14477a", "#a4141c", "#1d6b2f")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    #: The value as the reader should see it on the bar ("1 234 (45 %)").
    text: str


@dataclass(frozen=True)
class Series:
    """One line of a line chart: a value per point on the x axis."""

    values: Sequence[int]
    #: What the legend says of the line, with its last value ("All sign-ups: 1 234").
    legend: str


def _text(value: object) -> str:
    return str(escape(str(value)))


def _n(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".removesuffix(".0")


def _fit(label: str, room: int = WIDTH // (CHAR_WIDTH - 1)) -> str:
    """A label short enough for one line of the chart (the table beside it has it in full)."""
    return label if len(label) <= room else label[: room - 1].rstrip() + "…"


def _svg_open(chart_id: str, height: float, kind: str, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{kind}" id="{_text(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" '
        f'aria-labelledby="{_text(chart_id)}-title {_text(chart_id)}-desc" '
        f'font-size="{FONT_SIZE}" fill="{INK}">',
        f'<title id="{_text(chart_id)}-title">{_text(title)}</title>',
        f'<desc id="{_text(chart_id)}-desc">{_text(description)}</desc>',
    ]


def bar_chart(bars: Sequence[Bar], *, chart_id: str, title: str, description: str) -> Markup:
    """A horizontal bar chart: one row per bar, its label above it and its value written after it.

    Bars are as long as their value relative to the largest; a zero has no bar but still its value."""
    label_height, bar_height, gap = FONT_SIZE + 4, 20, 14
    row = label_height + bar_height + gap
    height = max(len(bars) * row, row) - gap + 4
    widest_text = max((len(b.text) for b in bars), default=1)
    room = WIDTH - (widest_text * CHAR_WIDTH + 24)  # a margin for wide glyphs such as %
    largest = max((b.value for b in bars), default=0)
    parts = _svg_open(chart_id, height, "bars", title, description)
    for i, bar in enumerate(bars):
        top = i * row
        length = room * bar.value / largest if largest else 0
        parts.append('<g class="chart__row">')
        parts.append(f'<text class="chart__label" x="0" y="{_n(top + FONT_SIZE)}">{_text(_fit(bar.label))}</text>')
        if bar.value:
            parts.append(
                f'<rect class="chart__bar" x="0" y="{_n(top + label_height)}" width="{_n(max(length, 2))}" '
                f'height="{bar_height}" fill="{SERIES_COLOURS[0]}"/>'
            )
        parts.append(
            f'<text class="chart__value" x="{_n(length + 6)}" y="{_n(top + label_height + bar_height - 5)}" '
            f'font-weight="bold">{_text(bar.text)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through _text (escaped)


def nice_ticks(largest: int, *, at_most: int = 5) -> list[int]:
    """Round y-axis steps from 0 up to at least ``largest``: 0, 5, 10, 15; 0, 200, 400; never fractions."""
    if largest <= 0:
        return [0, 1]
    raw = largest / (at_most - 1)
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(int(step), 1)
    top = math.ceil(largest / step) * step
    return list(range(0, top + 1, step))


def step_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    chart_id: str,
    title: str,
    description: str,
    y_text: Callable[[int], str] = str,
) -> Markup:
    """A cumulative step chart: each x point (a day) holds its value until the next one.

    ``x_labels`` names every point; the axis shows the first and the last. The first series is drawn
    solid, the others dashed and dotted; the legend under the plot says what each is, with its last value."""
    points = len(x_labels)
    ticks = nice_ticks(max((max(s.values, default=0) for s in series), default=0))
    left = max(len(y_text(t)) for t in ticks) * CHAR_WIDTH + 8
    top, plot_height, right = 10, 160, 8
    bottom = top + plot_height
    plot_width = WIDTH - left - right
    legend_top = bottom + 40
    height = legend_top + len(series) * 24
    parts = _svg_open(chart_id, height, "steps", title, description)

    def y(value: int) -> float:
        return bottom - plot_height * value / ticks[-1]

    parts.append('<g class="chart__grid">')
    for tick in ticks:
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{_n(y(tick))}" y2="{_n(y(tick))}" '
            f'stroke="{GRID if tick else INK}" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart__tick" x="{left - 6}" y="{_n(y(tick) + 5)}" text-anchor="end" fill="{MUTED}">'
            f"{_text(y_text(tick))}</text>"
        )
    parts.append("</g>")
    if points:
        parts.append(
            f'<text class="chart__tick" x="{left}" y="{bottom + 22}" fill="{MUTED}">{_text(x_labels[0])}</text>'
        )
        if points > 1:
            parts.append(
                f'<text class="chart__tick" x="{WIDTH - right}" y="{bottom + 22}" text-anchor="end" fill="{MUTED}">'
                f"{_text(x_labels[-1])}</text>"
            )
    dashes = ("", ' stroke-dasharray="8 5"', ' stroke-dasharray="2 4"')
    step = plot_width / max(points, 1)
    for i, s in enumerate(series):
        colour, dash = SERIES_COLOURS[i % len(SERIES_COLOURS)], dashes[i % len(dashes)]
        path = [f"M{_n(left)} {_n(y(s.values[0] if s.values else 0))}"]
        for j, value in enumerate(s.values):
            if j:
                path.append(f"V{_n(y(value))}")
            path.append(f"H{_n(left + step * (j + 1))}")
        parts.append(
            f'<path class="chart__line chart__line--{i + 1}" d="{" ".join(path)}" fill="none" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
        )
        key_y = legend_top + i * 24
        parts.append(
            f'<line class="chart__line chart__line--{i + 1}" x1="0" x2="36" y1="{key_y - 5}" y2="{key_y - 5}" '
            f'stroke="{colour}" stroke-width="3"{dash}/>'
        )
        parts.append(f'<text class="chart__legend" x="44" y="{key_y}">{_text(s.legend)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text in it went through _text (escaped)
