"""An interest list as CSV and Excel, formula-safe like the registration exports (``manage.export``)."""

from __future__ import annotations

import csv
import io

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

from eventapp.i18n import LOCALE_NAMES
from eventapp.interest.models import InterestSubscription
from eventapp.manage.export import neutralise


def _rows(subscriptions: list[InterestSubscription]) -> list[list[str]]:
    header = [_("Name"), _("Email"), _("Organisation"), _("Language"), _("Status"), _("Asked (UTC)"),
              _("Confirmed (UTC)"), _("Privacy statement version"), "locale", "status"]  # fmt: skip

    def utc(instant) -> str:
        return instant.strftime("%Y-%m-%d %H:%M") if instant else ""

    rows = [header]
    for s in subscriptions:
        rows.append([neutralise(v) for v in (
            s.name, s.email, s.organisation, LOCALE_NAMES.get(s.locale, s.locale), s.status.label,
            utc(s.requested_at), utc(s.confirmed_at), s.privacy_version, s.locale, s.status.value,
        )])  # fmt: skip
    return rows


def subscribers_csv(subscriptions: list[InterestSubscription]) -> bytes:
    """UTF-8 with a byte-order mark (Excel reads æøå right); every cell neutralised."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(_rows(subscriptions))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def subscribers_xlsx(subscriptions: list[InterestSubscription]) -> bytes:
    """The same rows as an Excel workbook of text cells only, header bold and frozen (streaming mode)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    rows = _rows(subscriptions)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Interest list")[:31])
    widths = [10] * len(rows[0])
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], min(len(cell) + 2, 60))
    for i, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(i + 1)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for value in rows[0]:
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows[1:]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
