"""How fast the mail worker drains the outbox into a local SMTP server.

    .venv/bin/python bench/mail.py [--messages 5000] [--workers 1 4] [--batch-size 100]

Creates the PostgreSQL database eventapp_bench_mail (at BENCH_DATABASE_URL), starts an SMTP sink
(aiosmtpd, its own process, counting what it receives) on 127.0.0.1, and for each worker count:
enqueues the messages (realistic size: text and HTML bodies, a non-ASCII name, a calendar attachment on
every other mail), starts that many `flask worker --once` processes at the same moment, and prints
messages per second from the first start to the last exit, and what the sink received. Target
(PERFORMANCE.md): at least 500 a second for one worker; 4 workers on PostgreSQL nearly 4 times that.
"""

from __future__ import annotations

import argparse
import os
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


def reset_database(base: str) -> str:
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(base).set(database=DATABASE).render_as_string(hide_password=False)


def enqueue(app, count: int) -> None:
    from eventapp.extensions import db
    from eventapp.mail.enums import CalendarMethod
    from eventapp.mail.models import OutboxMessage
    from eventapp.mail.services import RenderedMail, enqueue

    with app.app_context():
        db.session.execute(OutboxMessage.__table__.delete())
        for i in range(count):
            with_calendar = i % 2 == 0
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
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 4])
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--port", type=int, default=8125)
    args = parser.parse_args()

    from eventapp import create_app
    from eventapp.extensions import db

    url = reset_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_BASE))
    app = create_app({"SECRET_KEY": BENCH_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(args.port)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert sink.stdout is not None
    assert sink.stdin is not None
    sink.stdout.readline()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": BENCH_SECRET_KEY, "MAIL_SERVER": "127.0.0.1",
           "MAIL_PORT": str(args.port)}  # fmt: skip

    def received() -> int:
        sink.stdin.write("?\n")
        sink.stdin.flush()
        return int(sink.stdout.readline())

    print(f"mail worker drain: {args.messages} messages (half with a calendar) into aiosmtpd on 127.0.0.1, PostgreSQL")
    results = {}
    try:
        for workers in args.workers:
            enqueue(app, args.messages)
            before = received()
            command = [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--once",
                       "--batch-size", str(args.batch_size)]  # fmt: skip
            started = time.perf_counter()
            procs = [subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL) for _ in range(workers)]  # fmt: skip
            codes = [p.wait() for p in procs]
            elapsed = time.perf_counter() - started
            got = received() - before
            rate = args.messages / elapsed
            results[workers] = rate
            status = "ok" if got == args.messages and codes == [0] * workers else f"PROBLEM: exit codes {codes}"
            print(f"  {workers} worker(s): {elapsed:6.2f} s, {rate:7.0f} messages/s "
                  f"(sink received {got}; {status}; includes ~1 s of process start-up)")  # fmt: skip
    finally:
        sink.terminate()
        with app.app_context():
            db.engine.dispose()
    if 1 in results and len(results) > 1:
        for workers, rate in results.items():
            if workers != 1:
                ratio = rate / results[1]
                print(f"  {workers} workers ÷ 1 worker: {ratio:.2f}× (on a machine with {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
