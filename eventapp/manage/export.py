"""Registration lists as CSV, safe to open in Excel."""

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


def registrations_csv(event: Event, registrations: list[Registration]) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads æøå right), one row per registration, a column per
    question of the event; every cell neutralised against formula injection."""
    questions = list(event.custom_questions)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        ["Name", "Email", "Organisation", "Type of organisation", "Country", "Job title", "Organisation number",
         "Status", "Signed up (UTC)", *[q.label for q in questions]]
    )  # fmt: skip
    for r in registrations:
        answers = {a.question_id: a.value.replace("\n", "; ") for a in r.answers}
        row = [r.name, r.email, r.organisation, r.organisation_type.value, r.country, r.job_title,
               r.organisation_number, r.status.value, r.created_at.strftime("%Y-%m-%d %H:%M"),
               *[answers.get(q.id, "") for q in questions]]  # fmt: skip
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
