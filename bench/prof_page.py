"""In-process profile of the event page without the page cache (PostgreSQL, Flask test client).

Creates (drops and recreates) the database given as first argument, migrates it, adds the bench event
(``bench/signup.py``'s ``create_bench_event``), prints the statements of one page, the mean time per page of
N pages and, with ``--profile``, cProfile's cumulative list.

    .venv/bin/python bench/prof_page.py prof_pagecost 300 [--profile]
"""

import cProfile
import os
import pstats
import sys
import time

sys.path.insert(0, os.getcwd())
sys.path.insert(0, os.path.join(os.getcwd(), "bench"))
os.environ["EVENTAPP_PAGE_CACHE_MB"] = "0"

import flask_migrate
import signup as sb
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.extensions import db

args = [a for a in sys.argv[1:] if not a.startswith("--")]
DB = args[0] if args else "prof_pagecost"
N = int(args[1]) if len(args) > 1 else 300
PROFILE = "--profile" in sys.argv
base = make_url("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
admin = create_engine(base, isolation_level="AUTOCOMMIT")
with admin.connect() as c:
    c.execute(text(f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)'))
    c.execute(text(f'CREATE DATABASE "{DB}"'))
admin.dispose()
url = base.set(database=DB)
app = create_app(
    {
        "SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False),
        "SECRET_KEY": sb.BENCH_SECRET_KEY,
        "RATELIMIT_ENABLED": False,
        "PAGE_CACHE_MB": 0,
    }
)
with app.app_context():
    flask_migrate.upgrade()
sb.create_bench_event(app, "prof", 100)
client = app.test_client()
log: list[str] = []
with app.app_context():
    event.listen(
        db.engine, "before_cursor_execute", lambda c, cu, s, p, ctx, em: log.append(s[:160].replace("\n", " "))
    )
for _ in range(30):
    assert client.get("/events/prof").status_code == 200
log.clear()
client.get("/events/prof")
print(len(log), "statements:")
for line in log:
    print(" -", line)
# Round trips to PostgreSQL: every wait of psycopg for the server (statements, BEGIN, ROLLBACK, pings).
import psycopg  # noqa: E402

waits = [0]
_wait = psycopg.Connection.wait


def _counting_wait(self, *args, **kwargs):
    waits[0] += 1
    return _wait(self, *args, **kwargs)


psycopg.Connection.wait = _counting_wait  # type: ignore[method-assign]  # counting the waits, for this measurement only
client.get("/events/prof")
waits[0] = 0
client.get("/events/prof")
print("round trips (psycopg waits) per page:", waits[0])
best, cpu = [], []
for _ in range(3):
    t, c = time.perf_counter(), time.process_time()
    for _ in range(N):
        client.get("/events/prof")
    best.append((time.perf_counter() - t) / N * 1000)
    cpu.append((time.process_time() - c) / N * 1000)
print("ms per page, 3 rounds of", N, ":", " ".join(f"{b:.2f}" for b in best), f"(best {min(best):.2f})")
print("CPU ms of this process per page:", " ".join(f"{b:.2f}" for b in cpu), f"(best {min(cpu):.2f})")
print("load average", os.getloadavg())
if PROFILE:
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(N):
        client.get("/events/prof")
    pr.disable()
    st = pstats.Stats(pr)
    st.sort_stats("cumulative").print_stats(70)
    st.sort_stats("tottime").print_stats(30)
