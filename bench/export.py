"""The registrations list and its exports for an event with 2,000 registrations, on PostgreSQL.

    .venv/bin/python bench/export.py [--people 2000] [--rounds 7] [--keep]

Creates the database eventapp_bench_export (at BENCH_DATABASE_URL, default the local PostgreSQL),
migrates it, adds one event with two custom questions and ``--people`` registrations with answers, signs
an organiser in through the Flask test client (in process: no HTTP server, so the figures are the app's
own cost), and times, over ``--rounds`` runs each:

- ``GET /manage/events/<id>/registrations.xlsx`` (all rows), and its SQL statements;
- ``GET /manage/events/<id>/registrations.csv`` (all rows);
- ``GET /manage/events/<id>/registrations`` (one page of 100), and its SQL statements;
- the floor: openpyxl writing the same rows from a list in memory in the same streaming (write-only)
  mode, no database, no app (what any Excel export with openpyxl costs on this machine; the app's Excel
  time is reported as a ratio to it).

Prints the median and the slowest time of each, rows per second, and the ratio to the floor. There is no
refapp counterpart for exports (PERFORMANCE.md sets no ratio for them), so the openpyxl floor, measured
in the same run, is the reference. Drops the database afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATABASE = "eventapp_bench_export"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway account in a throwaway database


def reset_database(base: str, *, create: bool) -> str:
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(base).set(database=DATABASE).render_as_string(hide_password=False)


def seed(app, people: int) -> int:
    """One event, two questions, ``people`` registrations with answers; returns the event id."""
    from eventapp.accounts.services import create_user
    from eventapp.db import utcnow
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db
    from eventapp.registrations.enums import OrganisationType, QuestionKind, RegistrationStatus
    from eventapp.registrations.models import CustomQuestion, Registration, RegistrationAnswer

    with app.app_context():
        owner = create_user(email="bench-organiser@example.org", password=PASSWORD, name="Bench Organiser")
        starts = utcnow() + timedelta(days=30)
        ev = Event(slug="bench-export", title="Markedsdialog: utslippsfrie bygg", kind=EventKind.DIALOGUE_MEETING,
                   format=EventFormat.HYBRID, starts_at=starts, ends_at=starts + timedelta(hours=3),
                   status=EventStatus.PUBLISHED, capacity=people, created_by_id=owner.id)  # fmt: skip
        ev.custom_questions = [
            CustomQuestion(position=1, label="Hva ønsker dere å lære?", kind=QuestionKind.LONG_TEXT),
            CustomQuestion(position=2, label="Allergier", kind=QuestionKind.SHORT_TEXT),
        ]
        db.session.add(ev)
        db.session.flush()
        q1, q2 = (q.id for q in ev.custom_questions)
        now = utcnow()
        kinds = list(OrganisationType)
        db.session.execute(
            db.insert(Registration),
            [
                {"event_id": ev.id, "status": RegistrationStatus.CONFIRMED, "name": f"Deltaker Ærlig {i:04d}",
                 "email": f"deltaker{i:04d}@example.org", "organisation": f"Kommune nr. {i % 120}",
                 "organisation_type": kinds[i % len(kinds)], "country": "NO", "job_title": "Innkjøpsrådgiver",
                 "organisation_key": f"name:kommune nr. {i % 120}", "privacy_accepted_at": now, "locale": "nb"}
                for i in range(people)
            ],
        )  # fmt: skip
        ids = db.session.scalars(db.select(Registration.id).where(Registration.event_id == ev.id)).all()
        db.session.execute(
            db.insert(RegistrationAnswer),
            [{"registration_id": rid, "question_id": q1, "value": "Hvordan vi bruker dialog før konkurranse."}
             for rid in ids] + [{"registration_id": rid, "question_id": q2, "value": "Ingen"} for rid in ids],
        )  # fmt: skip
        db.session.commit()
        return ev.id


def timed(fn, rounds: int) -> list[float]:
    fn()  # warm-up: templates compiled, connections open
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    base = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/")
    url = reset_database(base, create=True)
    os.environ.setdefault("SECRET_KEY", "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa")
    from flask_migrate import upgrade

    from eventapp import create_app
    from eventapp.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "EVENTAPP_PAGE_CACHE_MB": 0})  # fmt: skip
    try:
        with app.app_context():
            upgrade(directory=str(REPO / "migrations"))
        event_id = seed(app, args.people)
        client = app.test_client()
        login = client.post("/login", data={"email": "bench-organiser@example.org", "password": PASSWORD})
        if login.status_code != 303:
            raise SystemExit(f"bench/export.py: could not sign in ({login.status_code})")
        statements: list[str] = []
        with app.app_context():
            engine = db.engine

        def count(*_a):
            statements.append("x")

        def get(path: str):
            def run():
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                return response

            return run

        xlsx_path = f"/manage/events/{event_id}/registrations.xlsx"
        event.listen(engine, "before_cursor_execute", count)
        response = client.get(xlsx_path)
        xlsx_queries = len(statements)
        statements.clear()
        client.get(f"/manage/events/{event_id}/registrations")
        list_queries = len(statements)
        event.remove(engine, "before_cursor_execute", count)
        import openpyxl

        rows = list(
            openpyxl.load_workbook(io.BytesIO(response.data), read_only=True).active.iter_rows(values_only=True)
        )
        if len(rows) != args.people + 1:
            raise SystemExit(f"bench/export.py: the workbook has {len(rows) - 1} people, not {args.people}")

        def floor():
            from openpyxl import Workbook

            book = Workbook(write_only=True)  # the mode the export uses
            sheet = book.create_sheet("Registrations")
            for row in rows:
                sheet.append(list(row))
            book.save(io.BytesIO())

        results = {
            "Excel export, all rows": timed(get(xlsx_path), args.rounds),
            "CSV export, all rows": timed(get(f"/manage/events/{event_id}/registrations.csv"), args.rounds),
            "list page (100 rows)": timed(get(f"/manage/events/{event_id}/registrations"), args.rounds),
            "floor: openpyxl alone": timed(floor, args.rounds),
        }
    finally:
        if not args.keep:
            with app.app_context():
                db.engine.dispose()
            reset_database(base, create=False)

    print(f"\n{args.people} registrations, 2 questions, PostgreSQL, {args.rounds} rounds after a warm-up")
    print(f"{'job':<24} {'median ms':>10} {'max ms':>8} {'rows/s':>9}")
    for name, times in results.items():
        median = statistics.median(times)
        per_s = (100 if name.startswith("list") else args.people) / median
        print(f"{name:<24} {median * 1000:>10.1f} {max(times) * 1000:>8.1f} {per_s:>9.0f}")
    ratio = statistics.median(results["Excel export, all rows"]) / statistics.median(results["floor: openpyxl alone"])
    print(f"\nExcel export ÷ openpyxl floor: {ratio:.2f}× the time (1.0 would be no cost beyond openpyxl)")
    print(f"SQL statements: Excel export {xlsx_queries}, list page {list_queries} (both independent of size)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
