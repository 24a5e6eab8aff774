"""Purge completeness: after ``flask purge-personal-data`` nothing of a purged person is left anywhere.

100 people sign up with answers; organisers act on them (audit entries with notes); the worker writes
their mails as .eml files. After the purge, every text column of every table (String, Text, JSON and
binary, found by reflecting the metadata) and every file under the mail and upload folders is searched
for their names, addresses, job titles, organisation numbers, answers and the notes about them: none may
remain. The statistics page shows the same numbers before and after.
"""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta
from pathlib import Path

from sqlalchemy import JSON, LargeBinary, String, Text, select, update

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.worker import Worker
from eventapp.registrations import chores, services
from eventapp.registrations.enums import OrganisationType, QuestionKind
from eventapp.registrations.models import CustomQuestion
from tests.registrations.conftest import text_of
from tests.registrations.test_rules import data

PEOPLE = 100


def norwegian_org_number(n: int) -> str:
    """A valid Norwegian organisation number (mod 11), different for each ``n``."""
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [int(c) for c in f"9{n:07d}"]
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        check = 0 if remainder == 0 else 11 - remainder
        if check != 10:
            return "".join(map(str, digits)) + str(check)
        n += 500_000


def database_texts() -> list[tuple[str, str]]:
    """(table.column, value) for every text-like value in every table."""
    found: list[tuple[str, str]] = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON | LargeBinary)]
        if not columns:
            continue
        for row in db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                found.append((f"{table.name}.{column.name}", text))
    return found


def file_texts(*folders: Path) -> list[tuple[str, str]]:
    """(path, text) of every file; mails are parsed, so encoded headers and bodies are searched decoded."""
    found: list[tuple[str, str]] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if not path.is_file():
                continue
            raw = path.read_bytes()
            parts = [raw.decode("utf-8", "replace")]
            if path.suffix == ".eml":
                message = email.message_from_bytes(raw, policy=email.policy.default)
                parts += [f"{k}: {v}" for k, v in message.items()]
                for part in message.walk():
                    if not part.is_multipart():
                        content = part.get_content()
                        parts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else content)
            found.append((str(path), "\n".join(parts)))
    return found


def leftovers(needles: list[str], haystack: list[tuple[str, str]]) -> list[tuple[str, str]]:
    lowered = [(where, text.casefold()) for where, text in haystack]
    return [(where, n) for n in needles for where, text in lowered if n.casefold() in text]


def test_purge_leaves_no_name_address_number_answer_or_note_anywhere_and_statistics_stay(
    app, client, create_event, create_account, log_in
):
    admin = create_account("admin@example.org", role=Role.ADMIN)
    event = create_event(capacity=80, title="Leverandørkonferanse")
    with app.app_context():
        question = CustomQuestion(event_id=event.id, label="What do you hope to learn?", kind=QuestionKind.LONG_TEXT)
        db.session.add(question)
        db.session.commit()
        question_id = question.id
    needles: list[str] = []
    ids: list[int] = []
    kinds = list(OrganisationType)
    with app.app_context():
        for n in range(PEOPLE):
            person = {
                "name": f"Purgetest Person{n:03d} Zyxwvu",
                "job_title": f"Innkjøpsrådgiver nr. {n:03d} qwerty",
                "organisation": f"Kommune {n % 7}",
                "organisation_type": kinds[n % len(kinds)],
                "country": ("NO", "SE", "DK", "FI")[n % 4],
                "organisation_number": norwegian_org_number(n) if n % 4 == 0 else "",
                "answers": {question_id: f"I hope to learn secret-answer-{n:03d}"},
            }
            address = f"purge.person{n:03d}@example.org"
            ids.append(services.register(event.id, data(address, **person)).registration_id)
            needles += [person["name"], address, person["job_title"], f"secret-answer-{n:03d}"]
            if person["organisation_number"]:
                needles.append(person["organisation_number"])
        actor = db.session.get(User, admin.id)
        for n, registration_id in enumerate(ids[:10]):  # organisers act: audit entries, with notes naming people
            note = f"Talked to Purgetest Person{n:03d} Zyxwvu on the phone"
            services.cancel_registration(registration_id, actor=db.session.merge(actor), note=note)
            needles.append(note)
        for registration_id in ids[10:20]:
            services.check_in(registration_id, actor=db.session.merge(actor))
        services.cancel_registration(ids[20])  # by the person themself
        mail_folder = Path(app.instance_path) / "mail"
        Worker(batch_size=1000).run(once=True)  # no MAIL_SERVER: the mails become .eml files
        written = len(list(mail_folder.glob("*.eml")))
        # The event ended long ago: its people are due to be purged.
        long_ago = utcnow() - timedelta(days=400)
        db.session.execute(update(Event).where(Event.id == event.id).values(
            starts_at=long_ago, ends_at=long_ago + timedelta(hours=2)))  # fmt: skip
        db.session.commit()
        before_db = leftovers(needles, database_texts())
        before_files = leftovers(needles, file_texts(mail_folder, Path(app.config["UPLOAD_FOLDER"])))
    log_in(client, "admin@example.org")
    statistics_before = text_of(client.get(f"/manage/events/{event.id}/statistics").get_data(as_text=True))

    result = app.test_cli_runner().invoke(args=["purge-personal-data"])

    statistics_after = text_of(client.get(f"/manage/events/{event.id}/statistics").get_data(as_text=True))
    audit_page = text_of(client.get(f"/manage/events/{event.id}/audit").get_data(as_text=True))
    with app.app_context():
        after_db = leftovers(needles, database_texts())
        after_files = leftovers(needles, file_texts(mail_folder, Path(app.config["UPLOAD_FOLDER"])))
    assert result.exit_code == 0, result.output
    assert f"Purged {PEOPLE} registrations" in result.output
    # The search finds the people before the purge (so it would find them after, were they there) ...
    assert written >= PEOPLE
    assert {where.split(".")[0] for where, _ in before_db} >= {"registrations", "registration_answers", "mail_outbox",
                                                              "audit_log"}  # fmt: skip
    assert before_files
    # ... and nothing of them after.
    assert after_db == []
    assert after_files == []
    assert statistics_after == statistics_before
    assert "Purgetest" not in audit_page
    assert "a removed person: cancelled by Admin" in audit_page
    assert "a removed person: checked in by Admin" in audit_page


def test_the_worker_purges_by_itself_once_a_day(app, create_event):
    event = create_event(capacity=10)
    with app.app_context():
        registration_id = services.register(event.id, data("daily.purge@example.org")).registration_id
        long_ago = utcnow() - timedelta(days=app.config["EVENTAPP_RETENTION_DAYS"] + 2)
        db.session.execute(update(Event).where(Event.id == event.id).values(
            starts_at=long_ago, ends_at=long_ago + timedelta(hours=2)))  # fmt: skip
        db.session.commit()
        worker = Worker()

        worker.run_chores()
        registration_chores = next(c for c in worker.chores or () if isinstance(c, chores.WorkerChores))
        first_run = registration_chores.last_purge_at
        worker.run_chores()  # within the day: not again

        from eventapp.registrations.models import Registration

        purged = db.session.get(Registration, registration_id)
    assert purged.email == f"{registration_id}@purged.invalid"
    assert purged.name == ""
    assert first_run is not None
    assert registration_chores.last_purge_at == first_run
