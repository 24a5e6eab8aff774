"""The SVG charts and the number formats of the statistics pages, on their own."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest

from eventapp.statistics import charts, report

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(str(markup))  # noqa: S314 - our own markup; it must be well-formed XML


def test_bar_chart_is_a_named_image_with_its_numbers_written_on_it():
    bars = [
        charts.Bar("Municipality", 30, "30 (60%)"),
        charts.Bar("<b>Region & co</b>", 20, "20 (40%)"),
        charts.Bar("NGO or other", 0, "0 (0%)"),
    ]

    svg = charts.bar_chart(bars, chart_id="types", title="By type", description="Most are municipalities.")
    root = parse(svg)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "types-title types-desc"
    assert root.get("width") == "100%"
    assert root.get("viewBox").startswith("0 0 320 ")
    assert root.find(f"{SVG}title").text == "By type"
    assert root.find(f"{SVG}desc").text == "Most are municipalities."
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert texts == ["Municipality", "30 (60%)", "<b>Region & co</b>", "20 (40%)", "NGO or other", "0 (0%)"]
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert len(widths) == 2  # no bar for zero, but its value is written
    assert widths[0] == pytest.approx(widths[1] * 1.5, abs=0.1)
    assert "style=" not in svg
    assert "<b>" not in svg  # labels are escaped


def test_long_labels_are_cut_to_fit_one_line():
    svg = charts.bar_chart([charts.Bar("x" * 100, 1, "1")], chart_id="c", title="t", description="d")

    label = next(parse(svg).iter(f"{SVG}text")).text

    assert label.endswith("…")
    assert len(label) * charts.CHAR_WIDTH <= charts.WIDTH * 1.2


def test_step_chart_draws_each_series_with_its_own_pattern_and_a_legend():
    svg = charts.step_chart(
        ["1 Mar", "2 Mar", "3 Mar"],
        [charts.Series([2, 5, 9], "All sign-ups: 9"), charts.Series([2, 4, 7], "Still registered: 7")],
        chart_id="time",
        title="Over time",
        description="Nine sign-ups in three days.",
    )
    root = parse(svg)

    paths = list(root.iter(f"{SVG}path"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert root.get("role") == "img"
    assert len(paths) == 2
    assert paths[0].get("stroke-dasharray") is None
    assert paths[1].get("stroke-dasharray")  # told apart by pattern, not colour alone
    assert paths[0].get("d").count("H") == 3  # one step per day
    assert texts[-2:] == ["All sign-ups: 9", "Still registered: 7"]
    assert texts[texts.index("1 Mar") + 1] == "3 Mar"  # the first and last day under the axis
    assert [t for t in texts if re.fullmatch(r"\d+", t or "")] == ["0", "5", "10"]  # y axis
    assert "style=" not in svg


def test_step_chart_of_a_single_day():
    root = parse(charts.step_chart(["1 Mar"], [charts.Series([3], "All: 3")], chart_id="c", title="t", description="d"))

    assert len(list(root.iter(f"{SVG}path"))) == 1


@pytest.mark.parametrize(
    ("largest", "ticks"),
    [(0, [0, 1]), (3, [0, 1, 2, 3]), (9, [0, 5, 10]), (120, [0, 50, 100, 150]), (1000, [0, 500, 1000])],
)
def test_y_axis_steps_are_round_numbers(largest, ticks):
    assert charts.nice_ticks(largest) == ticks


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", ["12,345", "87%", "3.5%", "99.6%", "100%", "0.1%", "0%", "–"]),
        ("nb", ["12\xa0345", "87\xa0%", "3,5\xa0%", "99,6\xa0%", "100\xa0%", "0,1\xa0%", "0\xa0%", "–"]),
    ],
)
def test_numbers_and_percentages_are_written_as_the_reader_writes_them(app, lang, expected):
    with app.test_request_context(f"/?lang={lang}"):
        written = [report.number(12345)] + [report.percent(r) for r in (0.87, 0.0349, 0.996, 1, 0.0002, 0, None)]

    assert written == expected
