"""Latency of a large programme page and of /programmes, in process (no HTTP server, no reference app).

    .venv/bin/python bench/programme_page.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/x]
                                             [--requests 100]

Builds (in a fresh SQLite file, or in the given database, whose tables it drops and creates) a programme with
200 events, 20 contact persons, 20 partners, 20 people, two published materials on each past event and a
Swedish translation, then requests /programmes/<slug>?lang=sv and /programmes?lang=sv ``--requests`` times
each, without the page cache (EVENTAPP_PAGE_CACHE_MB=0) and with it, and prints the median and p99 in ms
and the SQL statements per request. The query count is asserted in tests/programmes/test_programme_scale.py.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import event as sa_event  # noqa: E402 - after the path is set

from eventapp import create_app  # noqa: E402
from eventapp.extensions import db  # noqa: E402


def build(app) -> str:
    from tests.programmes.test_programme_scale import build as build_programme

    with app.app_context():
        db.drop_all()
        db.create_all()
    return str(build_programme(app, "bench", 20, events=200)["slug"])


def measure(app, url: str, requests: int) -> tuple[float, float, int]:
    client = app.test_client()
    statements = [0]

    def count(*_args: object) -> None:
        statements[0] += 1

    with app.app_context():
        engine = db.engine
    client.get(url)  # warm up (templates compiled, connections open)
    times = []
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))], statements[0] // requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="programme-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    os.environ.setdefault("EVENTAPP_INSTANCE_PATH", folder)
    base = {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": secrets.token_hex(32), "RATELIMIT_ENABLED": False}
    slug = build(create_app({**base, "EVENTAPP_PAGE_CACHE_MB": 0}))
    print(f"database: {url.split('@')[-1]}; {args.requests} requests per line")
    print(f"{'page':<28} {'cache':<6} {'median ms':>10} {'p99 ms':>8} {'queries':>8}")
    for cache_mb, label in ((0, "off"), (32, "on")):
        app = create_app({**base, "EVENTAPP_PAGE_CACHE_MB": cache_mb})
        for page in (f"/programmes/{slug}?lang=sv", "/programmes?lang=sv"):
            median, p99, queries = measure(app, page, args.requests)
            print(f"{page:<28} {label:<6} {median:>10.1f} {p99:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
