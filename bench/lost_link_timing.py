"""Does "lost your link" take longer for a registered address than for an unknown one?

    .venv/bin/python bench/lost_link_timing.py [--requests 200] [--database-url URL]

Builds the app in-process (a temporary SQLite file, or ``--database-url`` / BENCH_DATABASE_URL for an
empty PostgreSQL database whose tables it creates and drops), publishes one event with ``--requests``
registrations, and POSTs the lost-link form through Flask's test client, alternating a registered
address (each one once, so the per-address cap of link mails never cuts the work short) and an unknown
one. It does that twice: with the answer floor off (EVENTAPP_LOST_LINK_SECONDS=0: the raw work) and with
the configured floor (the default, 0.25 s), and prints the median and p90 of both cases and their
difference. Rate limits and CSRF are off; the mails only go into the outbox table.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import eventapp.models  # noqa: F401 - every model, before the first mapper is used
from config import Config
from eventapp import create_app
from eventapp.db import utcnow
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType


def _setup(app, count: int) -> str:
    with app.app_context():
        db.drop_all()
        db.create_all()
        now = utcnow()
        event = Event(
            slug="timing", title="Timing", status=EventStatus.PUBLISHED, kind=EventKind.WEBINAR,
            format=EventFormat.ONLINE, starts_at=now + timedelta(days=14),
            ends_at=now + timedelta(days=14, hours=2), timezone="Europe/Oslo",
        )  # fmt: skip
        db.session.add(event)
        db.session.commit()
        for n in range(count):
            services.register(event.id, services.RegistrationData(
                name=f"Person {n}", email=f"known{n}@example.org", organisation="Example", country="NO",
                organisation_type=OrganisationType.COMPANY, accept_privacy=True, locale="en",
            ))  # fmt: skip
        return event.slug


def _measure(app, slug: str, count: int, floor: float) -> tuple[list[float], list[float]]:
    app.config["EVENTAPP_LOST_LINK_SECONDS"] = floor
    client = app.test_client()
    known: list[float] = []
    unknown: list[float] = []
    for n in range(count):
        for email, bucket in ((f"known{n}@example.org", known), (f"nobody{n}@example.org", unknown)):
            started = time.perf_counter()
            response = client.post(f"/events/{slug}/lost-link", data={"email": email})
            bucket.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"lost-link answered {response.status_code} for {email}")
    return known, unknown


def _report(label: str, known: list[float], unknown: list[float]) -> None:
    def p90(values: list[float]) -> float:
        return statistics.quantiles(values, n=10)[-1]

    k, u = statistics.median(known), statistics.median(unknown)
    print(f"{label:<28} registered: median {k:7.2f} ms, p90 {p90(known):7.2f} ms | "
          f"unknown: median {u:7.2f} ms, p90 {p90(unknown):7.2f} ms | medians differ by {k - u:+6.2f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per case and run")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EVENTAPP_INSTANCE_PATH"] = tmp
        url = args.database_url or f"sqlite:///{tmp}/timing.sqlite"
        floor = Config().EVENTAPP_LOST_LINK_SECONDS
        app = create_app({"TESTING": False, "DEBUG": True, "SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": url,
                          "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "MAIL_SERVER": None,
                          "EVENTAPP_PAGE_CACHE_MB": 0})  # fmt: skip
        slug = _setup(app, args.requests)
        print(f"database: {url.split('@')[-1]}; {args.requests} requests per case")
        _report("no floor (raw work)", *_measure(app, slug, args.requests, 0.0))
        with app.app_context():  # fresh registrations: the cap of 3 link mails an hour must not cut the work
            db.drop_all()
        slug = _setup(app, args.requests)
        _report(f"floor {floor:.2f} s (as deployed)", *_measure(app, slug, args.requests, floor))
        with app.app_context():
            db.drop_all()
            db.engine.dispose()


if __name__ == "__main__":
    main()
