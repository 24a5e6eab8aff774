"""The sign-up rush, and whether cost grows with the registrations: eventapp against refapp in the same run.

    .venv/bin/python bench/rush.py [--jobs signup page mix] [--sizes 10 10000] [--rounds 3] [--duration 10]
                                   [--warmup 2] [--connections 16] [--threads 2] [--keep] [--refapp-dir bench/refapp]

Creates the PostgreSQL databases eventapp_bench_rush and refapp_bench_rush (at BENCH_DATABASE_URL),
serves both apps under gunicorn (-w 2 -k sync; eventapp with rate limits off and no MAIL_SERVER, so mail
stays in the outbox) on 127.0.0.1:8103 and :8003, and measures with wrk (bench/lua/rush.lua), alternating
eventapp and refapp in every round:

* ``signup``: sign-up POSTs only (the full form with a CSRF token) to a published online event with
  100,000 seats that already holds N registrations, for each N in ``--sizes``; refapp: its locked insert
  (``POST /events/bench-post/register``, its registrations emptied before each run);
* ``page``: the event page of an event holding N registrations, for each N; refapp: ``/events/event-0001``;
* ``mix``: the rush, one sign-up POST in five requests and the other four that event's page (the first
  size); refapp: the same mix on ``bench-post`` (POST, and GET of its page, which counts its registrations).

Every eventapp run gets a fresh event (prefilled by SQL; all of a round's events are made and the table
vacuumed before the round is measured; the sizes take turns at going first), so a run starts with exactly
N registrations (a 10-second sign-up run then adds a few hundred to a thousand).

Prints each round, the eventapp ÷ refapp ratios of requests/s and p99 with their medians next to the
targets of docs/PERFORMANCE.md, and for each
job the median ratio of eventapp at the largest size to eventapp at the smallest (target: within 10 %).
The load average is printed before and after. Figures go to bench/results/rush-<timestamp>.json. Exits 1
when wrk or a gunicorn log saw errors (any answer >= 400 counts).

Without the page cache: ``EVENTAPP_PAGE_CACHE_MB=0 .venv/bin/python bench/rush.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from common import (  # bench/common.py: these scripts run as bench/<name>.py
    REPO,
    VENV_BIN,
    Server,
    fail,
    http_get,
    log_error_lines,
    reset_databases,
    run_command,
    start_server,
    stop_server,
    wait_ready,
)
from signup import _session_and_token
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

RESULTS_DIR = REPO / "bench" / "results"
LUA = REPO / "bench" / "lua" / "rush.lua"
DEFAULT_DATABASE_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
EVENTAPP_DB, REFAPP_DB = "eventapp_bench_rush", "refapp_bench_rush"
HOST, EVENTAPP_PORT, REFAPP_PORT = "127.0.0.1", 8103, 8003
WORKERS = 2
BENCH_SECRET_KEY = "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa"  # noqa: S105 - a throwaway key for a throwaway database
CAPACITY = 100_000
#: PERFORMANCE.md: eventapp ÷ refapp requests/s at least this, per job; p99 ratio at most 2; growth within 10 %.
RPS_TARGETS = {"signup": 0.7, "page": 0.9, "mix": 0.7}
if os.environ.get("EVENTAPP_PAGE_CACHE_MB", "").strip() == "0":
    RPS_TARGETS["page"] = 0.5  # docs/PERFORMANCE.md: the event page without the page cache
P99_TARGET, GROWTH_TARGET = 2.0, 0.10
ERROR_FIELDS = ("err_status", "err_connect", "err_timeout", "err_read", "err_write")
HEADER = ("round", "eventapp rps", "p50 ms", "p99 ms", "refapp rps", "p50 ms", "p99 ms", "rps ratio", "p99 ratio")
ROW = "{:>5} | {:>12} {:>8} {:>8} | {:>10} {:>8} {:>8} | {:>9} {:>9}"
FIGURES = "{:>5} | {:>12.1f} {:>8.2f} {:>8.2f} | {:>10.1f} {:>8.2f} {:>8.2f} | {:>9.3f} {:>9.2f}"
PREFILL = text(
    "INSERT INTO registrations (event_id, status, name, email, organisation, organisation_type, country, "
    "job_title, organisation_number, organisation_key, locale, privacy_accepted_at, privacy_version, calendar_uid, "
    "created_at, status_changed_at, updated_at) "
    "SELECT :event_id, 'confirmed', 'Prefilled Person ' || g, 'prefill-' || g || '@example.org', "
    "'Prefilled Organisation ' || g, 'municipality', 'NO', '', '', 'prefilled organisation ' || g, 'en', now(), '', "
    "md5(:event_id || '-' || g), now(), now(), now() FROM generate_series(1, :count) AS g"
)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--jobs", nargs="+", choices=("signup", "page", "mix"), default=["signup", "page", "mix"])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 10_000], help="registrations on the event")
    parser.add_argument("--rounds", type=int, default=3, help="eventapp/refapp alternations per job")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of the warm-up run before each one")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    parser.add_argument("--refapp-dir", type=Path, default=REPO / "bench" / "refapp")
    return parser.parse_args(argv)


class Bench:
    """The two apps' databases and servers, and one wrk run at a time."""

    def __init__(self, args: argparse.Namespace, base: URL, wrk_bin: str) -> None:
        self.args, self.wrk_bin = args, wrk_bin
        self.urls = {name: base.set(database=name) for name in (EVENTAPP_DB, REFAPP_DB)}
        self.engines = {name: create_engine(url) for name, url in self.urls.items()}
        self.nonce = secrets.token_hex(3)
        self.runs = 0
        self.errors: dict[str, int] = {}

    def new_event(self, slug: str, registrations: int) -> None:
        """A published online event a month ahead with CAPACITY seats and ``registrations`` confirmed."""
        sys.path.insert(0, str(REPO))
        from eventapp import create_app
        from eventapp.events.enums import EventFormat, EventKind, EventStatus
        from eventapp.events.models import Event
        from eventapp.extensions import db

        if not hasattr(self, "app"):
            uri = self.urls[EVENTAPP_DB].render_as_string(hide_password=False)
            self.app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "SECRET_KEY": BENCH_SECRET_KEY})
        starts = (datetime.now(UTC) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
        with self.app.app_context():
            event = Event(
                slug=slug, title=f"Market dialogue: zero-emission construction sites ({slug})",
                summary="Buyers and suppliers on fossil-free machinery.",
                description_md="Talks from buyers and suppliers, then questions and discussion.\n\n- one\n- two\n",
                kind=EventKind.WEBINAR, format=EventFormat.ONLINE, status=EventStatus.PUBLISHED,
                timezone="Europe/Oslo", starts_at=starts, ends_at=starts + timedelta(hours=2), language="en",
                online_url="https://meet.example.org/bench-rush", capacity=CAPACITY, waitlist_enabled=True,
            )  # fmt: skip
            db.session.add(event)
            db.session.flush()
            db.session.execute(PREFILL, {"event_id": event.id, "count": registrations})
            db.session.commit()
            db.session.remove()

    def settle(self) -> None:
        """After the prefills: VACUUM ANALYZE, so that no autovacuum of the fresh rows runs during a measurement."""
        with self.engines[EVENTAPP_DB].connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE registrations"))

    def empty_refapp_post_target(self) -> None:
        with self.engines[REFAPP_DB].begin() as conn:
            conn.execute(
                text("DELETE FROM registration WHERE event_id = (SELECT id FROM event WHERE slug = 'bench-post')")
            )

    def wrk(self, app: str, url: str, seconds: int, lua_args: list[str]) -> dict[str, float]:
        # --timeout: on a loaded machine wrk's 2 s default drops the slowest answers from the latencies.
        load = [f"-t{self.args.threads}", f"-c{self.args.connections}", f"-d{seconds}s", "--timeout", "30s"]
        cmd = [self.wrk_bin, *load, "-s", str(LUA), url, "--", app, *lua_args]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        if done.returncode != 0 or not lines:
            fail(f"wrk failed on {url} ({done.returncode}):\n{done.stdout}{done.stderr}")
        return {key: float(value) for key, value in (part.split("=", 1) for part in lines[-1].split()[1:])}

    def measure(self, app: str, port: int, post: str, get: str, every: int, extra: list[str]) -> dict[str, float]:
        """A warm-up run, then the measured one (each with its own address prefix)."""
        url = f"http://{HOST}:{port}"
        result: dict[str, float] = {}
        for seconds in (self.args.warmup, self.args.duration):
            if seconds <= 0:
                continue
            self.runs += 1
            prefix = f"{self.nonce}-{self.runs}"
            result = self.wrk(app, url, seconds, [prefix, post, get, str(every), *extra])
        bad = {field: int(result[field]) for field in ERROR_FIELDS if result.get(field)}
        for field, count in bad.items():
            self.errors[field] = self.errors.get(field, 0) + count
        if bad:
            print(f"  !!!!! ERRORS on {app} {post if every else get}: {bad} !!!!!")
        return result

    def prepare(self, job: str, sizes: list[int], number: int) -> None:
        """This round's fresh events, one per size, all made before any is measured."""
        for size in sizes:
            self.new_event(f"rush-{job}-{size}-{number}-{self.nonce}", size)
        self.settle()

    def eventapp(self, job: str, size: int, number: int) -> dict[str, float]:
        slug = f"rush-{job}-{size}-{number}-{self.nonce}"
        post, get = f"/events/{slug}/register", f"/events/{slug}"
        status, _body = http_get(f"http://{HOST}:{EVENTAPP_PORT}{get}")
        if status != 200:
            fail(f"{get} answered {status}")
        if job == "page":
            return self.measure("eventapp", EVENTAPP_PORT, post, get, 0, [])
        import http.client

        conn = http.client.HTTPConnection(HOST, EVENTAPP_PORT, timeout=30)
        cookie, token = _session_and_token(conn, post)
        conn.close()
        return self.measure("eventapp", EVENTAPP_PORT, post, get, 1 if job == "signup" else 5, [cookie, token])

    def refapp(self, job: str) -> dict[str, float]:
        post = "/events/bench-post/register"
        if job == "page":
            return self.measure("refapp", REFAPP_PORT, post, "/events/event-0001", 0, [])
        self.empty_refapp_post_target()
        return self.measure("refapp", REFAPP_PORT, post, "/events/bench-post", 1 if job == "signup" else 5, [])

    def counts(self) -> dict[str, Any]:
        """Per bench event: confirmed, and whether any event holds more confirmed than seats."""
        with self.engines[EVENTAPP_DB].connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT e.slug, e.capacity, count(*) FILTER (WHERE r.status = 'confirmed') FROM events e "
                    "JOIN registrations r ON r.event_id = e.id WHERE e.slug LIKE 'rush-%' GROUP BY e.slug, e.capacity"
                )
            ).all()
            mails = conn.scalar(text("SELECT count(*) FROM mail_outbox"))
            registrations = conn.scalar(text("SELECT count(*) FROM registrations WHERE email LIKE '%@example.org' "
                                             "AND email NOT LIKE 'prefill-%'"))  # fmt: skip
        return {
            "overbooked_events": [slug for slug, capacity, confirmed in rows if confirmed > capacity],
            "signed_up": registrations,
            "outbox_rows": mails,
        }


def run_job(bench: Bench, job: str, sizes: list[int]) -> dict[str, Any]:
    rounds = []
    for number in range(1, bench.args.rounds + 1):
        entry: dict[str, Any] = {}
        bench.prepare(job, sizes, number)
        for size in sizes if number % 2 else sizes[::-1]:  # alternate which size goes first
            ours = bench.eventapp(job, size, number)
            ref = bench.refapp(job)
            entry[str(size)] = {"eventapp": ours, "refapp": ref, "rps_ratio": ours["rps"] / ref["rps"],
                                "p99_ratio": ours["p99_ms"] / ref["p99_ms"]}  # fmt: skip
            print(f"  {job} at {size}, round {number}/{bench.args.rounds}: eventapp {ours['rps']:.1f} rps "
                  f"p99 {ours['p99_ms']:.1f} ms, refapp {ref['rps']:.1f} rps p99 {ref['p99_ms']:.1f} ms")  # fmt: skip
        if len(sizes) > 1:
            small, large = entry[str(sizes[0])]["eventapp"], entry[str(sizes[-1])]["eventapp"]
            entry["growth"] = {"rps": large["rps"] / small["rps"], "p50": large["p50_ms"] / small["p50_ms"]}
        rounds.append(entry)
    result: dict[str, Any] = {"job": job, "sizes": sizes, "rounds": rounds, "by_size": {}}
    for size in sizes:
        rps = statistics.median(r[str(size)]["rps_ratio"] for r in rounds)
        p99 = statistics.median(r[str(size)]["p99_ratio"] for r in rounds)
        meets = {"rps_meets": rps >= RPS_TARGETS[job], "p99_meets": p99 <= P99_TARGET}
        result["by_size"][str(size)] = {"median_rps_ratio": rps, "median_p99_ratio": p99, **meets}
    if len(sizes) > 1:
        growth = statistics.median(r["growth"]["rps"] for r in rounds)
        result["median_growth_rps"] = growth
        result["growth_meets"] = growth >= 1 - GROWTH_TARGET
    return result


def print_report(report: dict[str, Any]) -> None:
    verdict = {True: "meets", False: "MISSES"}
    cache = "off (EVENTAPP_PAGE_CACHE_MB=0)" if os.environ.get("EVENTAPP_PAGE_CACHE_MB") == "0" else "on"
    print(f"\npage cache {cache}; load average before {report['load_before']}, after {report['load_after']}")
    for job in report["jobs"]:
        for size in job["sizes"]:
            print(f"\n{job['job']} at {size} registrations (eventapp ÷ refapp)")
            print(ROW.format(*HEADER))
            for number, r in enumerate(job["rounds"], 1):
                f = r[str(size)]
                ours, ref = ([f[a][k] for k in ("rps", "p50_ms", "p99_ms")] for a in ("eventapp", "refapp"))
                print(FIGURES.format(number, *ours, *ref, f["rps_ratio"], f["p99_ratio"]))
            s = job["by_size"][str(size)]
            print(f"median rps ratio {s['median_rps_ratio']:.3f} (target >= {RPS_TARGETS[job['job']]:g}: "
                  f"{verdict[s['rps_meets']]}), median p99 ratio {s['median_p99_ratio']:.2f} "
                  f"(target <= {P99_TARGET:g}: {verdict[s['p99_meets']]})")  # fmt: skip
        if "median_growth_rps" in job:
            rounds = ", ".join(f"{r['growth']['rps']:.3f}" for r in job["rounds"])
            print(f"{job['job']}: eventapp at {job['sizes'][-1]} ÷ at {job['sizes'][0]} registrations, rps: "
                  f"{rounds}; median {job['median_growth_rps']:.3f} (target >= {1 - GROWTH_TARGET:g}: "
                  f"{verdict[job['growth_meets']]})")  # fmt: skip
    counts = report.get("counts", {})
    print(f"\neventapp: {counts.get('signed_up')} sign-ups, {counts.get('outbox_rows')} outbox rows, "
          f"overbooked events: {counts.get('overbooked_events') or 'none'}")  # fmt: skip
    for name, lines in report["gunicorn_log_errors"].items():
        if lines:
            print(f"!!!!! {name}'s gunicorn log has {len(lines)} error lines, the first: {lines[0]} !!!!!")
    if report["wrk_errors"]:
        print(f"!!!!! wrk counted errors: {report['wrk_errors']} !!!!!")


def run_bench(args: argparse.Namespace, base: URL, wrk_bin: str, report: dict[str, Any]) -> None:
    bench = Bench(args, base, wrk_bin)
    ours_env = dict(
        os.environ,
        DATABASE_URL=bench.urls[EVENTAPP_DB].render_as_string(hide_password=False),
        SECRET_KEY=BENCH_SECRET_KEY,
        RATELIMIT_ENABLED="0",
        EVENTAPP_BASE_URL=f"http://{HOST}:{EVENTAPP_PORT}",
    )
    ours_env.pop("MAIL_SERVER", None)  # the outbox only: nothing is sent during the run
    ref_env = dict(os.environ, DATABASE_URL=bench.urls[REFAPP_DB].render_as_string(hide_password=False))
    print(f"databases {EVENTAPP_DB} and {REFAPP_DB} at {base.render_as_string()}")
    reset_databases(base, (EVENTAPP_DB, REFAPP_DB), create=True)
    run_command([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], REPO, ours_env)
    print(" ", run_command([str(VENV_BIN / "flask"), "--app", "refapp", "seed", "--events", "500"],
                           args.refapp_dir, ref_env))  # fmt: skip
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="bench-rush-") as logs:
        try:
            servers.append(start_server("eventapp", "wsgi:app", REPO, ours_env, EVENTAPP_PORT, "/healthz",
                                        Path(logs), workers=WORKERS))  # fmt: skip
            servers.append(start_server("refapp", "refapp:create_app()", args.refapp_dir, ref_env, REFAPP_PORT,
                                        "/hello", Path(logs), workers=WORKERS))  # fmt: skip
            for server in servers:
                wait_ready(server)
            print(f"wrk -t{args.threads} -c{args.connections}: {args.warmup} s warm-up + {args.duration} s "
                  f"measured, {args.rounds} rounds of eventapp then refapp; sizes {args.sizes}")  # fmt: skip
            report["load_before"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
            for job in args.jobs:
                sizes = args.sizes if job != "mix" else args.sizes[:1]
                report["jobs"].append(run_job(bench, job, sizes))
            report["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
            report["counts"] = bench.counts()
        finally:
            for server in servers:
                stop_server(server)
            report["gunicorn_log_errors"] = {server.name: log_error_lines(server) for server in servers}
            report["wrk_errors"] = bench.errors
            for engine in bench.engines.values():
                engine.dispose()
            if hasattr(bench, "app"):
                from eventapp.extensions import db

                with bench.app.app_context():
                    db.engine.dispose()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.refapp_dir = args.refapp_dir.resolve()
    if not (args.refapp_dir / "refapp.py").is_file():
        fail(f"no reference app (refapp.py) in {args.refapp_dir}; pass --refapp-dir")
    wrk_bin = shutil.which("wrk") or fail("wrk is not installed (apt-get install wrk)")
    base = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_BASE))
    started = datetime.now(UTC)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    settings["page_cache_mb"] = os.environ.get("EVENTAPP_PAGE_CACHE_MB", "default")
    report: dict[str, Any] = {"started_at": started.isoformat(), "settings": settings, "jobs": [],
                              "gunicorn_log_errors": {}, "wrk_errors": {}}  # fmt: skip
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks on `kill` too
    try:
        run_bench(args, base, wrk_bin, report)
    except KeyboardInterrupt:
        print("\ninterrupted")
        return 130
    finally:
        if args.keep:
            print(f"kept the databases {EVENTAPP_DB} and {REFAPP_DB}")
        else:
            reset_databases(base, (EVENTAPP_DB, REFAPP_DB), create=False)
    print_report(report)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"rush-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(REPO)}")
    bad = report["wrk_errors"] or any(report["gunicorn_log_errors"].values()) or report["counts"]["overbooked_events"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
