"""A call's applications as CSV and Excel (no cell is ever a formula: the registrations' export rules),
and their letters as one ZIP named by organisation."""

from __future__ import annotations

import re
import unicodedata

from flask_babel import gettext as _

from eventapp.calls.letters import letter_extension
from eventapp.calls.models import Application, Call
from eventapp.calls.queries import ReviewRow
from eventapp.formatting import country_name
from eventapp.manage.export import neutralise, rows_csv, rows_xlsx


def _rows(call: Call, rows: list[ReviewRow]) -> list[list[str]]:
    zone = call.tzinfo
    yes, no = _("Yes"), _("No")
    header = [
        _("Organisation"), _("Organisation number"), _("Country"), _("Type of organisation"), _("Status"),
        _("Contact person"), _("Their role"), _("Email"), _("Phone"), _("Received (%(zone)s)", zone=call.timezone),
        _("Requirements"), _("Letter of intent"), _("Listed publicly if accepted"), "country", "organisation_type",
        "status", *[q.label for q in call.questions],
    ]  # fmt: skip
    out = [header]
    for row in rows:
        a = row.application
        letter = a.letter_name if a.letter_sha256 else (_("Written in the form") if a.letter_statement else "")
        requirements = _("All met") if not row.missing else _("Missing:") + " " + "; ".join(row.missing)
        out.append([
            a.organisation, a.organisation_number, country_name(a.country), a.organisation_type.label, a.status.label,
            a.contact_name, a.contact_role, a.contact_email, a.contact_phone,
            a.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"), requirements, letter,
            yes if a.consent_public else no, a.country, a.organisation_type.value, a.status.value,
            *[row.answers.get(q.id, "").replace("\n", "; ") for q in call.questions],
        ])  # fmt: skip
    return [[neutralise(cell) for cell in line] for line in out]


def applications_csv(call: Call, rows: list[ReviewRow]) -> bytes:
    return rows_csv(_rows(call, rows))


def applications_xlsx(call: Call, rows: list[ReviewRow]) -> bytes:
    return rows_xlsx(_("Applications"), _rows(call, rows))


def _safe(name: str) -> str:
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    return re.sub(r'[\\/:*?"<>|]+', "-", name).strip(" .-") or "organisation"


def letter_entries(applications: list[Application]) -> list[tuple[str, str]]:
    """(name in the ZIP, sha256) per application with a letter file: the organisation's name, its country
    and number, so two organisations of one name stay apart."""
    entries, seen = [], set()
    for a in applications:
        if a.letter_sha256 is None:
            continue
        name = f"{_safe(a.organisation)[:120]} ({a.country} {_safe(a.organisation_number)}).{letter_extension(a)}"
        while name in seen:
            name = "_" + name
        seen.add(name)
        entries.append((name, a.letter_sha256))
    return entries


def file_stem(call: Call) -> str:
    return re.sub(r"[^a-z0-9]+", "-", call.title.lower()).strip("-")[:60] or "call"
