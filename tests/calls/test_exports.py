"""Exports of a call's applications: CSV and Excel with no formula in any cell, and the letters as one
streamed ZIP named by organisation; the number of queries does not grow with the applications."""

from __future__ import annotations

import io
import zipfile

from openpyxl import load_workbook

from eventapp.calls import services
from eventapp.calls.letters import Upload
from eventapp.materials.pdf import tiny_pdf
from eventapp.registrations.enums import OrganisationType
from tests.calls.conftest import next_number


def _apply(app, call_id: int, count: int, *, name: str = "Org") -> None:
    with app.app_context():
        for i in range(count):
            data = services.ApplicationData(
                organisation=f"{name} {i}", organisation_number=next_number(), country="NO",
                organisation_type=OrganisationType.MUNICIPALITY, contact_name="=HYPERLINK(1)",
                contact_role="+1", contact_email=f"c{i}{name[:3].lower()}@example.org", contact_phone="", locale="en",
                consent_public=True, accept_privacy=True,
            )  # fmt: skip
            services.apply(call_id, data, Upload(io.BytesIO(tiny_pdf(f"{name} {i}")), "letter.pdf"))


def test_exports_are_formula_safe_and_the_zip_names_letters_by_organisation(
    app, client, create_account, log_in, create_programme, create_call, count_queries
):
    owner = create_account("owner@example.org")
    call = create_call(programme=create_programme(created_by_id=owner.id), requirements=(), letter_policy="optional")
    log_in(client, "owner@example.org")
    _apply(app, call.id, 2, name="Few")
    counts = {}
    for suffix in ("applications.csv", "applications.xlsx", "letters.zip"):
        with count_queries() as counter:
            response = client.get(f"/manage/calls/{call.id}/{suffix}")
            body = response.get_data()
        counts[suffix] = counter.count
        assert response.status_code == 200, suffix
    csv_text = client.get(f"/manage/calls/{call.id}/applications.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in csv_text
    assert "'+1" in csv_text
    workbook = load_workbook(io.BytesIO(client.get(f"/manage/calls/{call.id}/applications.xlsx").get_data()))
    values = [cell.value for row in workbook.active.iter_rows() for cell in row if cell.value]
    assert not any(str(v).startswith(("=", "+", "-", "@")) for v in values)
    archive = zipfile.ZipFile(io.BytesIO(body))
    assert sorted(archive.namelist()) == sorted(
        f"Few {i} (NO {n}).pdf" for i, n in enumerate(a.split("NO ")[1][:-5] for a in sorted(archive.namelist()))
    )
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist())

    _apply(app, call.id, 20, name="Many")
    for suffix in ("applications.csv", "applications.xlsx", "letters.zip"):
        with count_queries() as counter:
            response = client.get(f"/manage/calls/{call.id}/{suffix}")
            body = response.get_data()
        assert counter.count == counts[suffix], suffix
    assert len(zipfile.ZipFile(io.BytesIO(body)).namelist()) == 22
