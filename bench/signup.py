"""Sign-ups per second and their latency on PostgreSQL with 4 gunicorn workers, against refapp's POST.

    .venv/bin/python bench/signup.py [--signups 2000] [--clients 50] [--capacity 300] [--rounds 3]
                                     [--warmup 100] [--keep] [--refapp-dir bench/refapp]

Creates the PostgreSQL databases eventapp_bench_signup and refapp_bench_signup (at BENCH_DATABASE_URL),
migrates eventapp and seeds refapp, serves both under gunicorn (-w 4 -k sync; eventapp with rate limits
off) on 127.0.0.1:8102 and :8002, and then, alternating eventapp and refapp for each round, sends
``--signups`` sign-ups from ``--clients`` concurrent clients: on eventapp to a fresh published event with
``--capacity`` seats and a waiting list, on refapp to its ``bench-post`` event. Prints each round's
sign-ups per second, p50 and p99 latency for both apps, the median ratios next to the target of
docs/PERFORMANCE.md (sign-up POST ÷ refapp's POST at least 0.7, p99 ratio at most 2), and
confirms the counts (eventapp: exactly ``capacity`` confirmed and the rest waitlisted, per round). Writes
the same figures to bench/results/signup-<timestamp>.json and drops both databases (unless --keep).
Exits 1 when a response was not 2xx/3xx, a count is wrong or a gunicorn log saw errors.

The load comes from a Python driver, not wrk: every eventapp client first GETs the sign-up form once for
its session cookie and CSRF token (the same token stays valid for all its POSTs, as in a browser tab),
which a wrk Lua script cannot do per connection. Both apps get the same driver, so the ratio is fair.
Each client is a thread with its own ``http.client`` connection; gunicorn's sync workers close the
connection after every answer, so each POST also pays for a TCP connect, on both apps alike.
NOTE: the driver runs on the same (2-core) machine and uses CPU there too, taking it from the servers
and PostgreSQL; absolute figures are therefore lower than a separate load machine would see. Only the
eventapp ÷ refapp ratio of the same run means anything.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import re
import secrets
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from common import (  # bench/common.py: these scripts run as bench/<name>.py
    REPO,
    VENV_BIN,
    Server,
    fail,
    log_error_lines,
    reset_databases,
    run_command,
    start_server,
    stop_server,
    wait_ready,
)
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

RESULTS_DIR = REPO / "bench" / "results"
DEFAULT_DATABASE_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
EVENTAPP_DB, REFAPP_DB = "eventapp_bench_signup", "refapp_bench_signup"
HOST, EVENTAPP_PORT, REFAPP_PORT = "127.0.0.1", 8102, 8002
WORKERS = 4
BENCH_SECRET_KEY = "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa"  # noqa: S105 - a throwaway key for a throwaway database
REFAPP_SLUG = "bench-post"  # refapp's POST target (capacity 10^9), from `flask --app refapp seed`
RPS_TARGET, P99_TARGET = 0.7, 2.0  # PERFORMANCE.md
_CSRF = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*\bvalue="([^"]*)"')
HEADER = ("round", "eventapp /s", "p50 ms", "p99 ms", "refapp /s", "p50 ms", "p99 ms", "/s ratio", "p99 ratio")
ROW = "{:>5} | {:>11} {:>8} {:>8} | {:>9} {:>8} {:>8} | {:>8} {:>9}"
FIGURES = "{:>5} | {:>11.1f} {:>8.2f} {:>8.2f} | {:>9.1f} {:>8.2f} {:>8.2f} | {:>8.3f} {:>9.2f}"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--signups", type=int, default=2000, help="sign-ups per app and round")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients")
    parser.add_argument("--capacity", type=int, default=300, help="seats of each eventapp bench event")
    parser.add_argument("--rounds", type=int, default=3, help="eventapp/refapp alternations")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured sign-ups per app before round 1")
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    parser.add_argument("--refapp-dir", type=Path, default=REPO / "bench" / "refapp")
    return parser.parse_args(argv)


# --- databases and servers -------------------------------------------------------------------------


def eventapp_app(url: URL) -> Any:
    sys.path.insert(0, str(REPO))
    from eventapp import create_app

    return create_app(
        {"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False), "SECRET_KEY": BENCH_SECRET_KEY}
    )


def create_bench_event(app: Any, slug: str, capacity: int) -> None:
    """A published online event a month ahead: ``capacity`` seats, a waiting list, open for sign-ups."""
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db

    starts = (datetime.now(UTC) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    with app.app_context():
        db.session.add(
            Event(
                slug=slug,
                title=f"Market dialogue: zero-emission construction sites ({slug})",
                summary="Buyers and suppliers on fossil-free machinery.",
                description_md="Talks from buyers and suppliers, then questions and discussion.",
                kind=EventKind.WEBINAR,
                format=EventFormat.ONLINE,
                status=EventStatus.PUBLISHED,
                timezone="Europe/Oslo",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                language="en",
                online_url="https://meet.example.org/bench-signup",
                capacity=capacity,
                waitlist_enabled=True,
            )
        )
        db.session.commit()
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.session.remove()


def eventapp_counts(app: Any, slug: str) -> dict[str, int]:
    from eventapp.extensions import db

    with app.app_context():
        rows = db.session.execute(
            text(
                "SELECT r.status, count(*) FROM registrations r JOIN events e ON e.id = r.event_id "
                "WHERE e.slug = :slug GROUP BY r.status"
            ),
            {"slug": slug},
        ).all()
        db.session.remove()
    return dict(rows)


def refapp_count(url: URL, prefix: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(text("SELECT count(*) FROM registration WHERE email LIKE :p"), {"p": f"{prefix}-%"}) or 0
            )
    finally:
        engine.dispose()


# --- the load driver ---------------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    port: int
    path: str
    #: The form fields of sign-up number ``i`` given the client's CSRF token (None: the app has no CSRF).
    fields: Callable[[int, str | None], dict[str, str]]
    csrf: bool


@dataclass
class Run:
    signups: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter[int] = field(default_factory=Counter)
    exceptions: Counter[str] = field(default_factory=Counter)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies (ms)."""
        ordered = sorted(self.latencies_ms)
        return ordered[max(0, min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1))]

    def figures(self) -> dict[str, Any]:
        return {
            "signups": self.signups,
            "duration_s": round(self.seconds, 3),
            "per_s": self.signups / self.seconds,
            "p50_ms": self.percentile(50),
            "p90_ms": self.percentile(90),
            "p99_ms": self.percentile(99),
            "max_ms": max(self.latencies_ms),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "exceptions": dict(self.exceptions),
        }

    @property
    def bad(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 400) + self.exceptions.total()


def _session_and_token(conn: http.client.HTTPConnection, path: str) -> tuple[str, str]:
    """GET the sign-up form: the session cookie (as a Cookie header value) and the form's CSRF token."""
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read().decode()
    if response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status}")
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    match = _CSRF.search(body)
    if not cookies or not match:
        raise RuntimeError(f"GET {path} gave no session cookie or no csrf_token")
    return cookies, match.group(1)


def drive(target: Target, total: int, clients: int) -> Run:
    """``total`` POSTs from ``clients`` threads, each with its own connection; timed from the moment all
    clients are ready (eventapp: holding a session and a token) until the last answer."""
    numbers = itertools.count()  # next() on it is atomic in CPython: each sign-up number goes to one client
    lock = threading.Lock()
    run = Run(signups=total, seconds=0.0, latencies_ms=[])
    ready = threading.Barrier(clients + 1)

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, target.port, timeout=120)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        token = None
        try:
            if target.csrf:
                headers["Cookie"], token = _session_and_token(conn, target.path)
        except Exception:
            ready.abort()
            raise
        ready.wait()
        latencies, statuses, exceptions = [], Counter[int](), Counter[str]()
        while (i := next(numbers)) < total:
            body = urlencode(target.fields(i, token))
            started = time.perf_counter()
            try:
                conn.request("POST", target.path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                exceptions[type(exc).__name__] += 1
                conn.close()
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status] += 1
        conn.close()
        with lock:
            run.latencies_ms.extend(latencies)
            run.statuses.update(statuses)
            run.exceptions.update(exceptions)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=120)
    except threading.BrokenBarrierError:
        fail(f"the {target.name} clients could not get ready (see the traceback above)")
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    run.seconds = time.perf_counter() - started
    return run


def eventapp_target(slug: str, prefix: str) -> Target:
    def fields(i: int, token: str | None) -> dict[str, str]:
        return {
            "csrf_token": token or "",
            "name": f"Bench Person {i}",
            "email": f"{prefix}-{i}@example.org",
            "organisation": f"Bench Organisation {i}",
            "organisation_type": "municipality",
            "country": "NO",
            "accept_privacy": "y",
        }

    return Target("eventapp", EVENTAPP_PORT, f"/events/{slug}/register", fields, csrf=True)


def refapp_target(prefix: str) -> Target:
    def fields(i: int, _token: str | None) -> dict[str, str]:
        return {"name": "Bench User", "email": f"{prefix}-{i}@example.org"}

    return Target("refapp", REFAPP_PORT, f"/events/{REFAPP_SLUG}/register", fields, csrf=False)


# --- the run -------------------------------------------------------------------------------------------


def run_bench(args: argparse.Namespace, base: URL, report: dict[str, Any]) -> None:
    """Set up, serve, warm up and measure both apps; fill ``report``. Stops the servers whatever happens."""
    urls = {name: base.set(database=name) for name in (EVENTAPP_DB, REFAPP_DB)}
    ours_env = dict(
        os.environ,
        DATABASE_URL=urls[EVENTAPP_DB].render_as_string(hide_password=False),
        SECRET_KEY=BENCH_SECRET_KEY,
        RATELIMIT_ENABLED="0",
        EVENTAPP_BASE_URL=f"http://{HOST}:{EVENTAPP_PORT}",
    )
    ours_env.pop("MAIL_SERVER", None)  # the outbox only: nothing is sent during the run
    ref_env = dict(os.environ, DATABASE_URL=urls[REFAPP_DB].render_as_string(hide_password=False))
    print(f"databases {EVENTAPP_DB} and {REFAPP_DB} at {base.render_as_string()}")
    reset_databases(base, (EVENTAPP_DB, REFAPP_DB), create=True)
    run_command([str(VENV_BIN / "flask"), "--app", "wsgi", "db", "upgrade"], REPO, ours_env)
    seed = [str(VENV_BIN / "flask"), "--app", "refapp", "seed", "--events", "500"]
    print(" ", run_command(seed, args.refapp_dir, ref_env))
    app = eventapp_app(urls[EVENTAPP_DB])
    nonce = secrets.token_hex(3)
    rounds: list[dict[str, Any]] = []
    report["rounds"] = rounds
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="bench-signup-") as logs:
        try:
            servers.append(
                start_server(
                    "eventapp", "wsgi:app", REPO, ours_env, EVENTAPP_PORT, "/healthz", Path(logs), workers=WORKERS
                )
            )
            refapp = "refapp:create_app()"
            servers.append(
                start_server(
                    "refapp", refapp, args.refapp_dir, ref_env, REFAPP_PORT, "/hello", Path(logs), workers=WORKERS
                )
            )
            for server in servers:
                wait_ready(server)
            if args.warmup:
                create_bench_event(app, "bench-signup-warmup", max(1, args.warmup // 2))  # both paths
                drive(eventapp_target("bench-signup-warmup", f"warm-{nonce}"), args.warmup, args.clients)
                drive(refapp_target(f"warm-{nonce}"), args.warmup, args.clients)
            print(
                f"{args.signups} sign-ups from {args.clients} clients per app and round, {args.rounds} rounds of "
                f"eventapp ({args.capacity}-seat event with a waiting list) then refapp (/events/{REFAPP_SLUG})"
            )
            for number in range(1, args.rounds + 1):
                slug, prefix = f"bench-signup-{number}", f"r{number}-{nonce}"
                create_bench_event(app, slug, args.capacity)
                ours = drive(eventapp_target(slug, prefix), args.signups, args.clients)
                ref = drive(refapp_target(prefix), args.signups, args.clients)
                counts = eventapp_counts(app, slug)
                ref_rows = refapp_count(urls[REFAPP_DB], prefix)
                expected = {"confirmed": args.capacity, "waitlisted": args.signups - args.capacity}
                entry = {
                    "eventapp": ours.figures(),
                    "refapp": ref.figures(),
                    "per_s_ratio": (args.signups / ours.seconds) / (args.signups / ref.seconds),
                    "p99_ratio": ours.percentile(99) / ref.percentile(99),
                    "eventapp_counts": counts,
                    "eventapp_counts_expected": expected,
                    "eventapp_counts_ok": counts == expected,
                    "refapp_rows": ref_rows,
                    "refapp_rows_ok": ref_rows == args.signups,
                    "bad_responses": {"eventapp": ours.bad, "refapp": ref.bad},
                }
                rounds.append(entry)
                print(
                    f"  round {number}/{args.rounds}: eventapp {entry['eventapp']['per_s']:.1f}/s "
                    f"({dict(ours.statuses)}), refapp {entry['refapp']['per_s']:.1f}/s ({dict(ref.statuses)}); "
                    f"eventapp counts {counts}"
                )
        finally:
            for server in servers:
                stop_server(server)
            report["gunicorn_log_errors"] = {server.name: log_error_lines(server) for server in servers}
            with app.app_context():
                from eventapp.extensions import db

                db.engine.dispose()


def summarise(report: dict[str, Any]) -> None:
    rounds = report["rounds"]
    report["median_per_s_ratio"] = statistics.median(r["per_s_ratio"] for r in rounds)
    report["median_p99_ratio"] = statistics.median(r["p99_ratio"] for r in rounds)
    report["per_s_meets"] = report["median_per_s_ratio"] >= RPS_TARGET
    report["p99_meets"] = report["median_p99_ratio"] <= P99_TARGET
    report["counts_ok"] = all(r["eventapp_counts_ok"] and r["refapp_rows_ok"] for r in rounds)
    report["bad_responses"] = sum(sum(r["bad_responses"].values()) for r in rounds)
    report["ok"] = (
        report["counts_ok"] and not report["bad_responses"] and not any(report["gunicorn_log_errors"].values())
    )


def print_report(report: dict[str, Any]) -> None:
    verdict = {True: "meets", False: "MISSES"}
    settings = report["settings"]
    print(
        f"\nsign-up POST: eventapp /events/<{settings['capacity']}-seat event>/register vs refapp "
        f"/events/{REFAPP_SLUG}/register ({settings['signups']} sign-ups, {settings['clients']} clients, "
        f"gunicorn -w {WORKERS} -k sync, PostgreSQL)"
    )
    print(ROW.format(*HEADER))
    for number, r in enumerate(report["rounds"], 1):
        ours, ref = ([r[app][key] for key in ("per_s", "p50_ms", "p99_ms")] for app in ("eventapp", "refapp"))
        print(FIGURES.format(number, *ours, *ref, r["per_s_ratio"], r["p99_ratio"]))
    print(
        f"median sign-ups/s ratio {report['median_per_s_ratio']:.3f} "
        f"(target >= {RPS_TARGET:g}: {verdict[report['per_s_meets']]}), "
        f"median p99 ratio {report['median_p99_ratio']:.2f} (target <= {P99_TARGET:g}: {verdict[report['p99_meets']]})"
    )
    for number, r in enumerate(report["rounds"], 1):
        mark = "ok" if r["eventapp_counts_ok"] and r["refapp_rows_ok"] else "!!!!! WRONG !!!!!"
        print(
            f"round {number} counts: eventapp {r['eventapp_counts']} (expected {r['eventapp_counts_expected']}), "
            f"refapp {r['refapp_rows']} rows; statuses eventapp {r['eventapp']['statuses']}, "
            f"refapp {r['refapp']['statuses']}: {mark}"
        )
    if report["bad_responses"]:
        print(f"!!!!! {report['bad_responses']} responses were not 2xx/3xx or failed !!!!!")
    for name, lines in report["gunicorn_log_errors"].items():
        if lines:
            print(f"!!!!! {name}'s gunicorn log has {len(lines)} error lines, the first: {lines[0]} !!!!!")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.refapp_dir = args.refapp_dir.resolve()
    if not (args.refapp_dir / "refapp.py").is_file():
        fail(f"no reference app (refapp.py) in {args.refapp_dir}; pass --refapp-dir")
    if args.signups <= args.capacity:
        fail("--signups must be larger than --capacity, so that the waiting list is used")
    base = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_BASE))
    started = datetime.now(UTC)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    report: dict[str, Any] = {"started_at": started.isoformat(), "settings": settings, "workers": WORKERS}
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the finally blocks on `kill` too
    try:
        run_bench(args, base, report)
    except KeyboardInterrupt:
        print("\ninterrupted")
        return 130
    finally:
        if args.keep:
            print(f"kept the databases {EVENTAPP_DB} and {REFAPP_DB}")
        else:
            reset_databases(base, (EVENTAPP_DB, REFAPP_DB), create=False)
    summarise(report)
    print_report(report)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"signup-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(REPO)}")
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
