"""300 applications with letters: the review list, the CSV and Excel exports and the letters' ZIP run the
same number of queries as with 3 (docs/PERFORMANCE.md); what they show grows, the queries do not."""

from __future__ import annotations

import io
import zipfile

from eventapp.calls.enums import ApplicationStatus
from eventapp.calls.letters import Upload, store_letter
from eventapp.calls.models import Application, ApplicationAnswer, ApplicationConfirmation, Call
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.materials.pdf import tiny_pdf
from eventapp.registrations.enums import OrganisationType
from tests.calls.conftest import next_number

PAGES = ("applications", "applications.csv", "applications.xlsx", "letters.zip")
STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.ACCEPTED, ApplicationStatus.ON_HOLD,
            ApplicationStatus.DECLINED)  # fmt: skip


def _add_applications(app, call_id: int, start: int, count: int) -> None:
    """``count`` applications with a letter file each (stored by hash, as uploads are), an answer to every
    question and the checklist confirmed, in one transaction (applying one by one would take minutes)."""
    with app.app_context():
        call = db.session.get(Call, call_id)
        now = utcnow()
        for i in range(start, start + count):
            number = next_number()
            letter = store_letter(Upload(io.BytesIO(tiny_pdf(f"Letter of intent {i}")), f"letter {i}.pdf"))
            db.session.add(Application(
                call_id=call.id, status=STATUSES[i % len(STATUSES)], organisation=f"Kommune {i:03d}",
                organisation_number=number, organisation_key=f"NO:{number}", country=("NO", "SE", "FI")[i % 3],
                organisation_type=OrganisationType.MUNICIPALITY, contact_name=f"Contact {i}",
                contact_email=f"contact{i}@example.org", privacy_accepted_at=now, consent_public=True,
                letter_sha256=letter.sha256, letter_size=letter.size, letter_file_type=letter.file_type,
                letter_name=letter.name,
                answers=[ApplicationAnswer(question_id=q.id, value=f"Answer {i}") for q in call.questions],
                confirmations=[ApplicationConfirmation(requirement_id=r.id, confirmed_at=now)
                               for r in call.requirements],
            ))  # fmt: skip
        db.session.commit()


def test_the_review_list_the_exports_and_the_zip_keep_their_query_count_at_300_applications(
    app, client, create_account, log_in, create_programme, create_call, count_queries
):
    owner = create_account("owner@example.org")
    call = create_call(programme=create_programme(created_by_id=owner.id),
                       requirements=("Anchored", "A need to buy", "Someone responsible"),
                       questions=[("Why?", "short_text", ""), ("Budget?", "yes_no", "")])  # fmt: skip
    log_in(client, "owner@example.org")
    client.get(f"/manage/calls/{call.id}/applications")  # the session's first page loads the account once

    def measure() -> dict[str, tuple[int, bytes]]:
        measured = {}
        for page in PAGES:
            with count_queries() as counter:
                response = client.get(f"/manage/calls/{call.id}/{page}")
                body = response.get_data()
            assert response.status_code == 200, page
            measured[page] = (counter.count, body)
        return measured

    _add_applications(app, call.id, 0, 3)
    few = measure()
    _add_applications(app, call.id, 3, 297)
    many = measure()

    counts = {page: count for page, (count, _body) in many.items()}
    assert counts == {page: count for page, (count, _body) in few.items()}
    assert max(counts.values()) <= 10  # measured: 8 for the list and the exports, 4 for the ZIP
    review = many["applications"][1].decode()
    assert "300 applications" in review
    assert "Kommune 299" in review
    assert "Answer 299" in review
    assert review.count("All met") >= 300  # every row's requirements, read from its confirmations
    assert many["applications.csv"][1].decode("utf-8-sig").count("Kommune ") == 300
    archive = zipfile.ZipFile(io.BytesIO(many["letters.zip"][1]))
    assert len(archive.namelist()) == 300
    assert all(archive.read(name).startswith(b"%PDF-") for name in archive.namelist()[::50])
