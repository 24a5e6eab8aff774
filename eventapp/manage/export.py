"""Registration lists as CSV and Excel, safe to open in a spreadsheet (no cell is ever a formula)."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from babel import Locale
from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from eventapp.events.models import Event
from eventapp.manage.queries import ExportRow
from eventapp.registrations.enums import AttendanceMode, OrganisationType, QuestionKind, RegistrationStatus

#: A cell starting with one of these is a formula to a spreadsheet (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _header(event: Event, questions: list) -> list[str]:
    """Column titles in the reader's language; times are named by the event's zone; three columns repeat
    type, country and status as codes, for programs that read the file; a hybrid event's adds on site or
    online (translated, and as a code); then one column per question."""
    zone = event.timezone
    hybrid = [_("On site or online")] if event.is_hybrid else []
    return [
        _("Name"), _("Email"), _("Organisation"), _("Type of organisation"), _("Country"), _("Job title"),
        _("Organisation number"), _("Status"), *hybrid, _("Signed up (%(zone)s)", zone=zone),
        _("Checked in (%(zone)s)", zone=zone), *CODE_COLUMNS, *(["attendance"] if hybrid else []),
        *[q.label for q in questions],
    ]  # fmt: skip


#: Machine-readable columns of every export (before the questions): the stored codes, headed by their field names.
CODE_COLUMNS = ("organisation_type", "country", "status")


def _country_names() -> dict[str, str]:
    locale = str(get_locale() or "en")
    return dict(Locale.parse(locale if locale != "en" else "en_GB").territories)


def _rows(event: Event, registrations: list[ExportRow]) -> list[list[str]]:
    """The header and one row per registration (a column per question), every cell neutralised; labels,
    country names and yes/no in the reader's language, times in the event's zone."""
    questions = list(event.custom_questions)
    zone = ZoneInfo(event.timezone)
    types = {t: t.label for t in OrganisationType}
    statuses = {s: s.label for s in RegistrationStatus}
    countries = _country_names()
    yes_no = {"yes": _("Yes"), "no": _("No")}
    yes_no_questions = {q.id for q in questions if q.kind is QuestionKind.YES_NO}

    def local(instant: datetime | None) -> str:
        return instant.astimezone(zone).strftime("%Y-%m-%d %H:%M") if instant else ""

    def answer(question_id: int, value: str) -> str:
        return yes_no.get(value, value) if question_id in yes_no_questions else value.replace("\n", "; ")

    rows = [_header(event, questions)]
    for r in registrations:
        answers = {question_id: answer(question_id, value) for question_id, value in r.answers.items()}
        mode = r.attendance or AttendanceMode.ON_SITE  # no mode (signed up before the event was hybrid): on site
        row = [r.name, r.email, r.organisation, types[r.organisation_type], countries.get(r.country, r.country),
               r.job_title, r.organisation_number, statuses[r.status], *([mode.label] if event.is_hybrid else []),
               local(r.created_at), local(r.checked_in_at), r.organisation_type.value, r.country, r.status.value,
               *([mode.value] if event.is_hybrid else []), *[answers.get(q.id, "") for q in questions]]  # fmt: skip
        rows.append(row)
    return [[neutralise(cell) for cell in row] for row in rows]


def registrations_xlsx(event: Event, registrations: list[ExportRow]) -> bytes:
    """The same list as an Excel workbook (see ``rows_xlsx``)."""
    return rows_xlsx(_("Registrations"), _rows(event, registrations))


def rows_xlsx(sheet_title: str, rows: list[list[str]]) -> bytes:
    """Neutralised rows (the first is the header) as an Excel workbook: text cells only (nothing is ever a
    formula: every cell is a string, and none starts with "=" once neutralised), a bold header row that
    stays in view, and columns wide enough to read. Written in openpyxl's streaming mode, which takes half
    the time of the normal one."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    widths = [10] * len(rows[0])
    for row in rows:
        for i, cell in enumerate(row):
            if len(cell) + 2 > widths[i]:
                widths[i] = min(len(cell) + 2, 60)
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for value in rows[0]:
        heading = WriteOnlyCell(sheet, value=value)
        heading.font = bold
        header.append(heading)
    sheet.append(header)
    for row in rows[1:]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def registrations_csv(event: Event, registrations: list[ExportRow]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads æøå right), one row per registration, a column per
    question of the event; every cell neutralised against formula injection."""
    return rows_csv(_rows(event, registrations))


def rows_csv(rows: list[list[str]]) -> bytes:
    """Neutralised rows as CSV: UTF-8 with a byte-order mark, CRLF line ends."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")
