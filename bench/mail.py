"""How fast the mail worker drains the outbox into a local SMTP server.

    .venv/bin/python bench/mail.py [--messages 5000] [--workers 1 2] [--batch-size 100] [--calendar-every 1]
                                   [--rounds 3] [--drafts] [--database eventapp_bench_mail]

Creates the PostgreSQL database eventapp_bench_mail (at BENCH_DATABASE_URL), starts one SMTP sink per
worker (aiosmtpd, each its own process, counting what it receives, on 127.0.0.1 from --port on: so the
sink is not the limit), and for each round and worker count: enqueues the messages (realistic size: text
and HTML bodies, a non-ASCII name, a calendar part and attachment on every mail by default), starts that
many `flask worker --once` processes at the same moment (worker i sends to sink i), and prints messages
per second while sending (first to last ``sent_at``; start-up excluded) and from the first start to the
last exit, what the sinks received, and that every mail was sent exactly once. Target (PERFORMANCE.md):
at least 500 a second per worker; 2 workers on PostgreSQL nearly twice one. Prints the load average.

With ``--drafts`` the outbox is filled with registration-mail drafts instead (``registrations.drafts``, as
a sign-up writes them: ``--messages`` confirmed registrations of one online webinar, each with a draft
holding its link token), so each worker also renders every mail (two templates, the footer, the
calendar) before it sends it, as it does after sign-ups; ``--calendar-every`` does not apply.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DEFAULT_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
DATABASE = "eventapp_bench_mail"
BENCH_SECRET_KEY = "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa"  # noqa: S105 - a throwaway key for a throwaway database
SINK = """
import sys, time
from aiosmtpd.controller import Controller
class Sink:
    count = 0
    async def handle_DATA(self, server, session, envelope):
        Sink.count += 1
        return "250 OK"
controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
controller.start()
print("ready", flush=True)
for line in sys.stdin:
    print(Sink.count, flush=True)
"""
CALENDAR = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//eventapp//bench//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
    "UID:bench@eventapp\r\nDTSTAMP:20300101T080000Z\r\nDTSTART:20300101T080000Z\r\nDTEND:20300101T100000Z\r\n"
    "SUMMARY:Innovative anskaffelser og bærekraftsmål\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
).encode()


def reset_database(base: str, name: str = DATABASE) -> str:
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(base).set(database=name).render_as_string(hide_password=False)


def enqueue_drafts(app, count: int) -> None:
    """``count`` registration-mail drafts, as sign-ups write them (the registrations are made once)."""
    from datetime import timedelta

    from sqlalchemy import func, select

    from eventapp.db import utcnow
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db
    from eventapp.mail.enums import MailReason
    from eventapp.mail.models import OutboxMessage
    from eventapp.registrations import drafts
    from eventapp.registrations.enums import OrganisationType, RegistrationStatus
    from eventapp.registrations.models import Registration
    from eventapp.security import new_token

    with app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        if not db.session.scalar(select(func.count()).select_from(Registration)):
            now, starts = utcnow(), utcnow() + timedelta(days=14)
            event = Event(slug="bench", title="Innovative anskaffelser og bærekraftsmål", summary="Webinar.",
                          description_md="Hva vi skal snakke om: " + "innovative anskaffelser, " * 20,
                          kind=EventKind.WEBINAR, format=EventFormat.ONLINE, timezone="Europe/Oslo",
                          starts_at=starts, ends_at=starts + timedelta(hours=2), language="nb",
                          status=EventStatus.PUBLISHED, online_url="https://meet.example.org/bench")  # fmt: skip
            db.session.add(event)
            db.session.add_all(
                Registration(
                    event=event,
                    status=RegistrationStatus.CONFIRMED,
                    name=f"Ærlig Åsmund Øvrebø {i}",
                    email=f"person{i}@example.org",
                    organisation="Eksempel kommune",
                    organisation_type=OrganisationType.MUNICIPALITY,
                    country="NO",
                    organisation_key="eksempel kommune",
                    locale=("nb", "sv", "fi", "en")[i % 4],
                    privacy_accepted_at=now,
                    calendar_sequence=0,
                )
                for i in range(count)
            )
            db.session.flush()
        now = utcnow()
        for registration in db.session.scalars(select(Registration).order_by(Registration.id).limit(count)):
            drafts.enqueue_registration_mail(registration, MailReason.CONFIRMED, token=new_token(), now=now)
        db.session.commit()


def enqueue(app, count: int, calendar_every: int = 1) -> None:
    from eventapp.extensions import db
    from eventapp.mail.enums import CalendarMethod
    from eventapp.mail.models import OutboxMessage
    from eventapp.mail.services import RenderedMail, enqueue

    with app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        for i in range(count):
            with_calendar = i % calendar_every == 0
            enqueue(
                RenderedMail(
                    kind="bench",
                    recipient_email=f"person{i}@example.org",
                    recipient_name="Ærlig Åsmund Øvrebø",
                    locale="nb",
                    subject="Invitasjon: Innovative anskaffelser og bærekraftsmål",
                    body_text="Hei Ærlig Åsmund Øvrebø,\n\n" + "Du er påmeldt webinaret. " * 30 + "\n",
                    body_html="<p>Hei Ærlig Åsmund Øvrebø,</p><p>" + "Du er påmeldt webinaret. " * 30 + "</p>",
                    calendar=CALENDAR if with_calendar else None,
                    calendar_method=CalendarMethod.REQUEST if with_calendar else None,
                )
            )
        db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--calendar-every", type=int, default=1, help="1: every mail has a calendar; 2: every other")
    parser.add_argument("--rounds", type=int, default=3, help="alternations of the worker counts; medians printed")
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--port", type=int, default=8125)
    parser.add_argument("--drafts", action="store_true", help="fill the outbox with drafts the workers render")
    parser.add_argument("--database", default=DATABASE, help="the PostgreSQL database (dropped and made again)")
    args = parser.parse_args()

    from eventapp import create_app
    from eventapp.extensions import db

    url = reset_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_BASE), args.database)
    app = create_app({"SECRET_KEY": BENCH_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
    most = max(args.workers)
    sinks = [subprocess.Popen([sys.executable, "-c", SINK, str(args.port + i)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True) for i in range(most)]  # fmt: skip
    for sink in sinks:
        assert sink.stdout is not None
        sink.stdout.readline()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": BENCH_SECRET_KEY, "MAIL_SERVER": "127.0.0.1"}

    def received() -> int:
        total = 0
        for sink in sinks:
            assert sink.stdin is not None
            assert sink.stdout is not None
            sink.stdin.write("?\n")
            sink.stdin.flush()
            total += int(sink.stdout.readline())
        return total

    def sending_rate() -> tuple[float, int]:
        """Mails a second between the first and the last ``sent_at``, and the outbox rows marked sent."""
        with app.app_context():
            first, last, sent = db.session.execute(
                text("SELECT min(sent_at), max(sent_at), count(*) FROM mail_outbox WHERE status = 'sent'")
            ).one()
            db.session.remove()
        seconds = (last - first).total_seconds() if sent > 1 else 0
        return ((sent - 1) / seconds if seconds else 0.0), sent

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    what = ("registration-mail drafts, rendered by the worker (calendar on each)" if args.drafts
            else f"rendered messages (a calendar on 1 in {args.calendar_every})")  # fmt: skip
    print(f"mail worker drain: {args.messages} {what} into "
          f"{most} aiosmtpd sinks on 127.0.0.1 (one per worker), PostgreSQL; {args.rounds} rounds")  # fmt: skip
    results: dict[int, list[float]] = {workers: [] for workers in args.workers}
    problems = 0
    try:
        for number in range(1, args.rounds + 1):
            for workers in args.workers:
                if args.drafts:
                    enqueue_drafts(app, args.messages)
                else:
                    enqueue(app, args.messages, args.calendar_every)
                before = received()
                command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--once",
                           "--batch-size", str(args.batch_size)]  # fmt: skip
                started = time.perf_counter()
                procs = [subprocess.Popen(command, cwd=REPO, env={**env, "MAIL_PORT": str(args.port + i)},
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                         for i in range(workers)]  # fmt: skip
                codes = [p.wait() for p in procs]
                elapsed = time.perf_counter() - started
                got = received() - before
                rate, sent = sending_rate()
                results[workers].append(rate)
                ok = got == args.messages and sent == args.messages and codes == [0] * workers
                problems += not ok
                status = "ok: each sent once" if ok else f"!!!!! PROBLEM: exit codes {codes}, {sent} rows sent !!!!!"
                print(f"  round {number}, {workers} worker(s): {rate:7.0f} mails/s while sending "
                      f"({rate / workers:6.0f} per worker), {args.messages / elapsed:6.0f}/s with start-up "
                      f"({elapsed:5.2f} s); sinks received {got}; {status}")  # fmt: skip
    finally:
        for sink in sinks:
            sink.terminate()
        with app.app_context():
            db.engine.dispose()
    medians = {workers: statistics.median(rates) for workers, rates in results.items()}
    for workers, rate in medians.items():
        verdict = "meets" if rate / workers >= 500 else "MISSES"
        print(f"median, {workers} worker(s): {rate:.0f} mails/s, {rate / workers:.0f} per worker "
              f"(target >= 500 per worker: {verdict})")  # fmt: skip
    if 1 in medians:
        for workers, rate in medians.items():
            if workers != 1:
                print(
                    f"  {workers} workers ÷ 1 worker: {rate / medians[1]:.2f}× (on a machine with "
                    f"{os.cpu_count()} cores; load average now {' '.join(f'{x:.2f}' for x in os.getloadavg())})"
                )
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
