"""Publishing an event to a programme's interest list of 5,000 confirmed subscribers, on PostgreSQL.

    .venv/bin/python bench/interest.py [--subscribers 5000] [--rounds 5] [--sqlite] [--keep]

Creates the database eventapp_bench_interest (at BENCH_DATABASE_URL, default the local PostgreSQL; with
``--sqlite`` a file in a temporary folder), migrates it, adds one programme with ``--subscribers``
confirmed subscribers spread over the six languages, then ``--rounds`` times: a new draft event of the
programme is published through ``events.services.set_published``, the use case the back office calls.
Its one transaction holds the status change, the audit entry, the announcement row and, through the
interest list's signal receiver, one new link and one outbox row per subscriber (each rendered once per
language, filled in per person, bulk-inserted). Timed from the call to its commit returning.

Prints the median and the slowest publication, mails per second, the SQL statements of one publication
(independent of the number of subscribers), and checks that every round wrote exactly one mail per
subscriber. The target (issue 13): 5,000 mails in one transaction in under 2 s on this machine. There is
no refapp counterpart (PERFORMANCE.md's ratios are for pages), so the figure stands on its own. Drops the
database afterwards unless --keep.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
DATABASE = "eventapp_bench_interest"
LOCALES = ("nb", "nn", "sv", "da", "fi", "en")


def reset_database(base: str, *, create: bool) -> str:
    admin = create_engine(make_url(base).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    admin.dispose()
    return make_url(base).set(database=DATABASE).render_as_string(hide_password=False)


def seed(app, subscribers: int) -> tuple[int, int]:
    """A programme with ``subscribers`` confirmed subscribers, and an organiser; returns their ids."""
    from eventapp.accounts.services import create_user
    from eventapp.db import utcnow
    from eventapp.extensions import db
    from eventapp.interest.enums import SubscriptionStatus
    from eventapp.interest.models import InterestSubscription
    from eventapp.programmes.models import Programme

    with app.app_context():
        owner = create_user(email="bench-organiser@example.org", password="bench-password-123", name="Bench")  # noqa: S106
        programme = Programme(slug="bench-nordic", title="Nordic Buyer Dialogues", created_by_id=owner.id)
        db.session.add(programme)
        db.session.flush()
        now = utcnow()
        db.session.execute(
            db.insert(InterestSubscription),
            [{"programme_id": programme.id, "email": f"follower{i:05d}@example.org", "name": f"Følger Ærlig {i:05d}",
              "organisation": f"Kommune nr. {i % 120}", "locale": LOCALES[i % len(LOCALES)],
              "status": SubscriptionStatus.CONFIRMED, "privacy_version": "2026-12-06", "requested_at": now,
              "confirmed_at": now} for i in range(subscribers)],
        )  # fmt: skip
        db.session.commit()
        return programme.id, owner.id


def new_draft(app, programme_id: int, owner_id: int, n: int) -> int:
    from eventapp.db import utcnow
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db

    with app.app_context():
        starts = utcnow() + timedelta(days=30 + n)
        ev = Event(slug=f"bench-dialogue-{n}", title=f"Markedsdialog {n}: utslippsfrie bygg",
                   kind=EventKind.DIALOGUE_MEETING, format=EventFormat.HYBRID, starts_at=starts,
                   ends_at=starts + timedelta(hours=3), status=EventStatus.DRAFT, programme_id=programme_id,
                   created_by_id=owner_id, venue_name="Oslo rådhus", venue_address="Rådhusplassen 1, Oslo")  # fmt: skip
        db.session.add(ev)
        db.session.commit()
        return ev.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--subscribers", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    base = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/")
    folder = tempfile.mkdtemp(prefix="bench-interest-")
    url = f"sqlite:///{folder}/bench.sqlite" if args.sqlite else reset_database(base, create=True)
    os.environ.setdefault("SECRET_KEY", "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa")
    os.environ.setdefault("EVENTAPP_INSTANCE_PATH", folder)
    from flask_migrate import upgrade

    from eventapp import create_app
    from eventapp.accounts.models import User
    from eventapp.events.services import set_published
    from eventapp.extensions import db
    from eventapp.mail.models import OutboxMessage

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "EVENTAPP_BASE_URL": "https://events.example.org"})
    times: list[float] = []
    statements: list[str] = []
    try:
        with app.app_context():
            upgrade(directory=str(REPO / "migrations"))
        programme_id, owner_id = seed(app, args.subscribers)
        with app.app_context():
            engine = db.engine
        for n in range(args.rounds + 1):  # the first is a warm-up (templates compiled, connections open)
            event_id = new_draft(app, programme_id, owner_id, n)
            with app.test_request_context("/"):
                actor = db.session.get(User, owner_id)
                counting = n == 1

                def count(*_a):
                    statements.append("x")

                if counting:
                    event.listen(engine, "before_cursor_execute", count)
                start = time.perf_counter()
                set_published(event_id, published=True, actor=actor)
                elapsed = time.perf_counter() - start
                if counting:
                    event.remove(engine, "before_cursor_execute", count)
                mails = db.session.scalar(
                    select(func.count()).select_from(OutboxMessage).where(OutboxMessage.event_id == event_id)
                )
                db.session.remove()
            if mails != args.subscribers:
                raise SystemExit(f"bench/interest.py: {mails} mails for {args.subscribers} subscribers")
            if n:
                times.append(elapsed)
    finally:
        if not args.keep and not args.sqlite:
            with app.app_context():
                db.engine.dispose()
            reset_database(base, create=False)

    median = statistics.median(times)
    database = "SQLite" if args.sqlite else "PostgreSQL"
    print(f"\nPublishing an event to {args.subscribers} confirmed subscribers (6 languages), {database}, "
          f"{args.rounds} rounds after a warm-up")  # fmt: skip
    print(f"median {median * 1000:.0f} ms, slowest {max(times) * 1000:.0f} ms, {args.subscribers / median:.0f} mails/s")
    print(f"SQL statements of one publication: {len(statements)} (independent of the number of subscribers)")
    print(f"target: under 2000 ms in one transaction -> {'met' if max(times) < 2 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
