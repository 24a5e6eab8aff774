"""Registration lists as CSV and Excel, safe to open in a spreadsheet (no cell is ever a formula)."""

from __future__ import annotations

import csv
import io

from eventapp.events.models import Event
from eventapp.registrations.models import Registration

#: A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


HEADER = ["Name", "Email", "Organisation", "Type of organisation", "Country", "Job title", "Organisation number",
          "Status", "Signed up (UTC)", "Checked in (UTC)"]  # fmt: skip


def _rows(event: Event, registrations: list[Registration]) -> list[list[str]]:
    """The header and one row per registration (a column per question), every cell neutralised."""
    questions = list(event.custom_questions)
    rows = [[*HEADER, *[q.label for q in questions]]]
    for r in registrations:
        answers = {a.question_id: a.value.replace("\n", "; ") for a in r.answers}
        checked_in = r.checked_in_at.strftime("%Y-%m-%d %H:%M") if r.checked_in_at else ""
        row = [r.name, r.email, r.organisation, r.organisation_type.value, r.country, r.job_title,
               r.organisation_number, r.status.value, r.created_at.strftime("%Y-%m-%d %H:%M"), checked_in,
               *[answers.get(q.id, "") for q in questions]]  # fmt: skip
        rows.append(row)
    return [[neutralise(cell) for cell in row] for row in rows]


def registrations_xlsx(event: Event, registrations: list[Registration]) -> bytes:
    """The same list as an Excel workbook: text cells only (nothing is ever a formula), a bold header
    row that stays in view, and columns wide enough to read."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Registrations"
    for row in _rows(event, registrations):
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # a string, whatever it looks like
    for column in sheet.columns:
        width = max((len(str(c.value or "")) for c in column), default=10)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def registrations_csv(event: Event, registrations: list[Registration]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads æøå right), one row per registration, a column per
    question of the event; every cell neutralised against formula injection."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(_rows(event, registrations))
    return ("\ufeff" + out.getvalue()).encode("utf-8")
