"""What one sign-up costs in process: wall and CPU time per sign-up POST, SQL statements per sign-up, and
(with --profile) where the CPU goes. No HTTP server, no load: the cost of the code itself.

    .venv/bin/python bench/signup_profile.py [--signups 200] [--warmup 20] [--rounds 3] [--profile]
                                             [--top 25] [--sort cumulative|tottime] [--csrf]
                                             [--database eventapp_bench_signup_profile]

Creates the PostgreSQL database ``--database`` (at BENCH_DATABASE_URL; dropped and made again), one
published online webinar with 100,000 seats, and POSTs the full sign-up form through Flask's test client
(``--warmup`` first, not counted), ``--signups`` per round. Prints per round the median and mean wall
time, the CPU time and the statements per sign-up; then, when the registration mails are drafts
(``mail.drafts``), what rendering them costs the worker (CPU per mail, one ``render_drafts`` batch of 100
at a time). Runs against whatever code is on ``sys.path`` first, so the same script measures an older
checkout (``PYTHONPATH=<checkout> python bench/signup_profile.py``). Prints the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.append(str(REPO))
DEFAULT_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
BENCH_SECRET_KEY = "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa"  # noqa: S105 - a throwaway key for a throwaway database


def reset_database(base: str, name: str) -> str:
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--signups", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile the last round; print the top 25")
    parser.add_argument("--top", type=int, default=25, help="how many lines of the profile to print")
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative or tottime")
    parser.add_argument(
        "--csrf",
        action="store_true",
        help="CSRF on, as under wrk: one GET of the form for the cookie and token, then POSTs with it",
    )
    parser.add_argument("--database", default="eventapp_bench_signup_profile")
    args = parser.parse_args()

    from eventapp import create_app
    from eventapp.db import utcnow
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db

    url = reset_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_BASE), args.database)
    app = create_app({"SECRET_KEY": BENCH_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url, "WTF_CSRF_ENABLED": args.csrf,
                      "RATELIMIT_ENABLED": False, "EVENTAPP_BASE_URL": "https://events.example.org"})  # fmt: skip
    import eventapp.mail as mail_package

    drafts = (Path(mail_package.__file__).parent / "drafts.py").exists()
    print(f"code: {Path(mail_package.__file__).parent.parent.parent}; registration mails "
          f"{'drafts rendered by the worker' if drafts else 'rendered in the request'}")  # fmt: skip
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with app.app_context():
        db.create_all()
        starts = utcnow() + timedelta(days=14)
        db.session.add(Event(slug="rush", title="Innovative anskaffelser og bærekraftsmål", summary="Webinar.",
                             description_md="Hva vi skal snakke om.", kind=EventKind.WEBINAR,
                             format=EventFormat.ONLINE, timezone="Europe/Oslo", starts_at=starts,
                             ends_at=starts + timedelta(hours=2), language="nb", status=EventStatus.PUBLISHED,
                             capacity=100_000, online_url="https://meet.example.org/rush"))  # fmt: skip
        db.session.commit()
        engine = db.engine
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    client = app.test_client()
    serial = 0
    csrf_token = ""
    if args.csrf:  # as a browser tab (and bench/rush.py): the form once, its token for every POST
        page = client.get("/events/rush/register?lang=nb").get_data(as_text=True)
        csrf_token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

    def sign_up() -> None:
        nonlocal serial
        serial += 1
        form = {"name": f"Åsa Lindqvist {serial}", "email": f"person{serial}@example.org",
                "organisation": "Region Skåne", "organisation_type": "county", "country": "SE",
                "accept_privacy": "y"}  # fmt: skip
        if csrf_token:
            form["csrf_token"] = csrf_token
        response = client.post("/events/rush/register?lang=nb", data=form)
        assert response.status_code == 303, response.status_code

    for _ in range(args.warmup):
        sign_up()
    profiler = cProfile.Profile()
    for number in range(1, args.rounds + 1):
        walls: list[float] = []
        before_statements, cpu_started = statements, time.process_time()
        profiling = args.profile and number == args.rounds
        if profiling:
            profiler.enable()
        for _ in range(args.signups):
            started = time.perf_counter()
            sign_up()
            walls.append(time.perf_counter() - started)
        if profiling:
            profiler.disable()
        cpu = (time.process_time() - cpu_started) / args.signups
        print(f"  round {number}: {args.signups} sign-ups, wall median {statistics.median(walls) * 1000:.2f} ms, "
              f"mean {statistics.mean(walls) * 1000:.2f} ms; CPU {cpu * 1000:.2f} ms per sign-up; "
              f"{(statements - before_statements) / args.signups:.2f} statements per sign-up")  # fmt: skip
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    if drafts:
        from eventapp.mail.drafts import render_drafts

        with app.app_context():
            pending = db.session.scalar(text("SELECT count(*) FROM mail_outbox WHERE status = 'draft'"))
            db.session.remove()
            cpu_started, wall_started, done = time.process_time(), time.perf_counter(), 0
            while (handled := render_drafts(limit=100).handled) > 0:
                done += handled
                db.session.remove()
            wall, cpu = time.perf_counter() - wall_started, time.process_time() - cpu_started
        print(f"worker: rendered {done} of {pending} drafts in batches of 100: {cpu / max(done, 1) * 1000:.2f} ms CPU "
              f"and {wall / max(done, 1) * 1000:.2f} ms wall per mail")  # fmt: skip
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
