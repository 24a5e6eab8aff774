"""Throughput and latency of eventapp's public pages, against the reference app in the same run.

    .venv/bin/python bench/pages.py [--duration 10] [--warmup 2] [--rounds 3] [--connections 16] [--threads 2]
                                    [--keep] [--refapp-dir bench/refapp]

Creates the PostgreSQL databases eventapp_bench and refapp_bench (at BENCH_DATABASE_URL) and seeds them,
serves both apps under gunicorn (-w 2 -k sync) on 127.0.0.1:8101 and :8001, loads each page with wrk,
alternating eventapp and refapp, then prints every round, the median ratios next to the targets of
docs/PERFORMANCE.md and the eventapp workers' memory, and writes the same figures to
bench/results/pages-<timestamp>.json. Exits 1 when wrk or a gunicorn log saw errors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

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
from sqlalchemy import distinct, func, select, text
from sqlalchemy.engine import URL, make_url

RESULTS_DIR = REPO / "bench" / "results"
DEFAULT_DATABASE_BASE = "postgresql+psycopg://postgres@127.0.0.1:5432/"
EVENTAPP_DB, REFAPP_DB = "eventapp_bench", "refapp_bench"
HOST, EVENTAPP_PORT, REFAPP_PORT = "127.0.0.1", 8101, 8001
BENCH_SECRET_KEY = "bench-only-3vQ8nW2kZ7xR5mT1yB4cH9jL6pF0dGa"  # noqa: S105 - a throwaway key for a throwaway database
CATALOGUE_SIZE = 50
FEED_SIZE = 500
P99_TARGET = 2.0  # PERFORMANCE.md: eventapp/refapp p99 at most 2 (rps targets are per job)
ERROR_FIELDS = ("err_status", "err_connect", "err_timeout", "err_read", "err_write")
HEADER = ("round", "eventapp rps", "p50 ms", "p99 ms", "refapp rps", "p50 ms", "p99 ms", "rps ratio", "p99 ratio")
ROW = "{:>5} | {:>12} {:>8} {:>8} | {:>10} {:>8} {:>8} | {:>9} {:>9}"
FIGURES = "{:>5} | {:>12.1f} {:>8.2f} {:>8.2f} | {:>10.1f} {:>8.2f} {:>8.2f} | {:>9.3f} {:>9.2f}"
# Bench events (title, summary), cycled through every kind and format so the catalogue looks real.
TOPICS = (
    ("Market dialogue: zero-emission construction sites", "Buyers and suppliers on fossil-free machinery."),
    ("Innovation partnerships from start to contract", "When an innovation partnership fits, and how to run one."),
    ("Welfare technology that gives time back", "Municipalities show what sensors and apps changed in care."),
    ("Circular furniture for schools and offices", "Re-use and repair in framework agreements that work."),
    ("Less food waste in nursing homes", "Kitchens, suppliers and researchers on measuring and cutting waste."),
    ("Buying from social enterprises", "Reserved contracts and terms that let small suppliers take part."),
    ("Needs analysis before the tender", "Methods to find the real need before writing a specification."),
    ("Climate requirements in transport services", "Award criteria for zero-emission deliveries and trips."),
    ("Evaluating innovative procurements", "What to measure, when, and how to report the benefits."),
    ("Digital services for citizens", "Joint procurement of platforms across municipalities."),
    ("Energy-positive public buildings", "Lessons from pilots in schools, pools and town halls."),
    ("Supplier day: health and care", "Suppliers meet the buyers who will put their solutions to use."),
)
VENUES = (  # city, time zone, venue, address
    ("Oslo", "Europe/Oslo", "Møtesenteret Kvadraturen", "Eksempelgata 12, 0150 Oslo"),
    ("Stockholm", "Europe/Stockholm", "Kulturhuset, sal Mälaren", "Exempelgatan 5, 111 52 Stockholm"),
    ("Copenhagen", "Europe/Copenhagen", "Borgerhuset, sal 2", "Eksempelvej 5, 1050 København K"),
    ("Helsinki", "Europe/Helsinki", "Kokouskeskus Esimerkki", "Esimerkkikatu 4, 00100 Helsinki"),
)
HOURS = {"webinar": 1.5, "workshop": 3, "dialogue_meeting": 4, "network_meeting": 2, "conference": 7}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of each measured wrk run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of the warm-up run before each one")
    parser.add_argument("--rounds", type=int, default=3, help="eventapp/refapp alternations per job")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the bench databases afterwards")
    parser.add_argument("--jobs", nargs="*", help="only the jobs whose name contains one of these words")
    parser.add_argument("--refapp-dir", type=Path, default=REPO / "bench" / "refapp")
    return parser.parse_args(argv)


def add_bench_events(needed: int, now: datetime) -> None:
    """Add ``needed`` upcoming published events over the next months, every kind and format (in an app context)."""
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db
    from eventapp.programmes.models import Programme

    programmes = list(db.session.scalars(select(Programme).order_by(Programme.id))) or [None]
    for i in range(needed):
        title, summary = TOPICS[i % len(TOPICS)]
        kind, format_ = list(EventKind)[i % len(EventKind)], list(EventFormat)[i % len(EventFormat)]
        online = format_ is EventFormat.ONLINE
        city, tz, venue, address = ("", "Europe/Oslo", "", "") if online else VENUES[i % len(VENUES)]
        day = (now + timedelta(days=3 + 2 * i)).date()
        day += timedelta(days=7 - day.weekday() if day.weekday() >= 5 else 0)  # working days only
        starts = datetime.combine(day, clock(9 if i % 2 else 13), tzinfo=ZoneInfo(tz)).astimezone(UTC)
        event = Event(
            slug=f"bench-{i + 1:02d}",
            title=title + (f" ({i // len(TOPICS) + 1})" if i >= len(TOPICS) else ""),
            summary=summary,
            description_md=f"{summary}\n\n- talks from buyers and suppliers\n- questions and discussion\n",
            kind=kind,
            format=format_,
            programme=programmes[i % len(programmes)],
            status=EventStatus.PUBLISHED,
            timezone=tz,
            starts_at=starts,
            ends_at=starts + timedelta(hours=HOURS[kind.value]),
            venue_name=venue,
            venue_address=address,
            city=city,
            capacity=40 + 20 * (i % 10),
            language="en",
            online_url="" if format_ is EventFormat.IN_PERSON else f"https://meet.example.org/bench-{i + 1}",
        )
        db.session.add(event)


def add_past_events(needed: int, now: datetime) -> None:
    """Add ``needed`` published past events (one a day back from yesterday), for the 500-event feed."""
    from eventapp.events.enums import EventFormat, EventKind, EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db

    for i in range(needed):
        title, summary = TOPICS[i % len(TOPICS)]
        starts = now.replace(hour=8, minute=0, second=0, microsecond=0) - timedelta(days=1 + i)
        db.session.add(
            Event(
                slug=f"bench-past-{i + 1:03d}",
                title=f"{title} (archive {i + 1})",
                summary=summary,
                description_md=f"{summary}\n\n- talks from buyers and suppliers\n- questions and discussion\n",
                kind=list(EventKind)[i % len(EventKind)],
                format=EventFormat.ONLINE,
                status=EventStatus.PUBLISHED,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                language="en",
            )
        )


def prepare_eventapp(url: URL, env: dict[str, str]) -> str:
    """Migrate, seed the demo, fill the catalogue to CATALOGUE_SIZE, ANALYZE; return the event page's slug."""
    flask = str(VENV_BIN / "flask")
    run_command([flask, "--app", "wsgi", "db", "upgrade"], REPO, env)
    print(" ", run_command([flask, "--app", "wsgi", "seed-demo"], REPO, env).splitlines()[-1])
    sys.path.insert(0, str(REPO))
    from eventapp import create_app
    from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker
    from eventapp.events import queries
    from eventapp.events.enums import EventStatus
    from eventapp.events.models import Event
    from eventapp.extensions import db
    from eventapp.materials.demo import add_webinar_materials
    from eventapp.materials.queries import public_section

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url.render_as_string(hide_password=False), "SECRET_KEY": BENCH_SECRET_KEY}
    )
    with app.app_context():
        demo = queries.upcoming_events(queries.CatalogueFilter())  # what the catalogue lists
        add_bench_events(CATALOGUE_SIZE - len(demo), datetime.now(UTC))
        db.session.flush()
        public = len(queries.feed_events(queries.CatalogueFilter()))
        add_past_events(FEED_SIZE - public, datetime.now(UTC))
        db.session.commit()
        print(f"  calendar feed: {len(queries.feed_events(queries.CatalogueFilter()))} public events")
        total = len(queries.upcoming_events(queries.CatalogueFilter()))
        cancelled = sum(event.is_cancelled for event in demo)
        print(f"  catalogue: {len(demo)} upcoming demo events ({cancelled} cancelled) + bench events = {total}")
        if total != CATALOGUE_SIZE:
            fail(f"the catalogue has {total} upcoming events, expected {CATALOGUE_SIZE}")
        slug = db.session.scalars(
            select(Event.slug)
            .join(AgendaItem, AgendaItem.event_id == Event.id)
            .join(AgendaItemSpeaker, AgendaItemSpeaker.agenda_item_id == AgendaItem.id)
            .where(Event.status == EventStatus.PUBLISHED)
            .group_by(Event.id, Event.slug)
            .order_by(func.count(distinct(AgendaItem.id)).desc(), Event.id)
            .limit(1)
        ).one()
        # Issue 16: the page after the event, with every talk's deck, the recording and the board published.
        add_webinar_materials(db.session.scalars(select(Event).where(Event.slug == slug)).one())
        db.session.commit()
        event = queries.public_event(slug)
        items, speakers = (len(event.agenda_items), len(event.speakers)) if event else (0, 0)
        section = public_section(event) if event else None
        decks = sum(len(group.materials) for group in section.agenda) if section else 0
        extras = (len(section.recordings), len(section.boards)) if section else (0, 0)
        print(f"  event page: /events/{slug} ({items} agenda items, {speakers} speakers, {decks} decks, "
              f"{extras[0]} recording, {extras[1]} board)")  # fmt: skip
        if items < 10 or speakers != 10 or decks < 10 or extras != (1, 1):
            fail(f"{slug} has {items} agenda items, {speakers} speakers, {decks} decks, {extras} recording and "
                 "board; the job needs >= 10, 10, >= 10 and one of each")  # fmt: skip
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        db.engine.dispose()
    return slug


@dataclass
class Job:
    name: str
    ours_path: str
    ref_path: str
    rps_target: float  #: eventapp ÷ refapp requests/s, at least (PERFORMANCE.md)
    conditional: bool = False  #: send eventapp If-None-Match with the page's ETag (answered 304)
    headers: list[str] | None = None


def prepare_conditional(job: Job) -> None:
    """Fetch the ETag the conditional job will send back, and check the answer is a 304."""
    url = f"http://{HOST}:{EVENTAPP_PORT}{job.ours_path}"
    with urllib.request.urlopen(url, timeout=30) as response:
        etag = response.headers["ETag"]
    request = urllib.request.Request(url, headers={"If-None-Match": etag})
    try:
        urllib.request.urlopen(request, timeout=30)  # noqa: S310
        fail(f"{url} with If-None-Match {etag} did not answer 304")
    except urllib.error.HTTPError as exc:
        if exc.code != 304:
            fail(f"{url} with If-None-Match {etag} answered {exc.code}, not 304")
    job.headers = ["-H", f"If-None-Match: {etag}"]
    print(f"  {url} with If-None-Match {etag}: 304")


def check_pages(jobs: list[Job]) -> None:
    """Every page to be measured answers 200, and the catalogue lists CATALOGUE_SIZE upcoming events."""
    pairs = [(f"http://{HOST}:{EVENTAPP_PORT}{j.ours_path}", f"http://{HOST}:{REFAPP_PORT}{j.ref_path}") for j in jobs]
    for url in dict.fromkeys(url for pair in pairs for url in pair):
        status, body = http_get(url)
        if status != 200:
            fail(f"{url} answered {status}, not 200")
        upcoming = body.split('id="past-heading"')[0].count('<article class="event-card')
        if url == f"http://{HOST}:{EVENTAPP_PORT}/" and upcoming != CATALOGUE_SIZE:
            fail(f"{url} lists {upcoming} upcoming events, not {CATALOGUE_SIZE}")
        print(f"  {url}: 200, {len(body.encode())} bytes")


def wrk(
    wrk_bin: str,
    args: argparse.Namespace,
    url: str,
    seconds: int,
    script: Path | None,
    headers: list[str] | None = None,
) -> dict[str, float]:
    """One wrk run; with ``script`` (report.lua) the figures of its RESULT line, else nothing."""
    report_script = ["-s", str(script)] if script else []
    load = [f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s"]
    cmd = [wrk_bin, *load, *(headers or []), *report_script, url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or (script and not lines):
        fail(f"wrk failed on {url} ({done.returncode}):\n{done.stdout}{done.stderr}")
    return {key: float(value) for key, value in (part.split("=", 1) for part in lines[-1].split()[1:])} if lines else {}


def measure(
    wrk_bin: str, args: argparse.Namespace, url: str, errors: dict[str, int], headers: list[str] | None = None
) -> dict[str, float]:
    if args.warmup > 0:
        wrk(wrk_bin, args, url, args.warmup, None, headers)
    result = wrk(wrk_bin, args, url, args.duration, args.refapp_dir / "report.lua", headers)
    bad = {field: int(result[field]) for field in ERROR_FIELDS if result.get(field)}
    for field, count in bad.items():
        errors[field] = errors.get(field, 0) + count
    if bad:
        print(f"  !!!!! ERRORS on {url}: {', '.join(f'{k}={v}' for k, v in bad.items())} !!!!!")
    return result


def run_job(wrk_bin: str, args: argparse.Namespace, job: Job, errors: dict[str, int]) -> dict[str, Any]:
    """Rounds of eventapp then refapp on one job, and the median ratios."""
    name, ours_path, ref_path = job.name, job.ours_path, job.ref_path
    rounds = []
    for number in range(1, args.rounds + 1):
        ours = measure(wrk_bin, args, f"http://{HOST}:{EVENTAPP_PORT}{ours_path}", errors, job.headers)
        ref = measure(wrk_bin, args, f"http://{HOST}:{REFAPP_PORT}{ref_path}", errors)
        rps_ratio, p99_ratio = ours["rps"] / ref["rps"], ours["p99_ms"] / ref["p99_ms"]
        rounds.append({"eventapp": ours, "refapp": ref, "rps_ratio": rps_ratio, "p99_ratio": p99_ratio})
        print(f"  {name}, round {number}/{args.rounds}: eventapp {ours['rps']:.1f} rps, refapp {ref['rps']:.1f} rps")
    rps_ratio = statistics.median(r["rps_ratio"] for r in rounds)
    p99_ratio = statistics.median(r["p99_ratio"] for r in rounds)
    return {
        "job": name,
        "eventapp_path": ours_path,
        "refapp_path": ref_path,
        "rounds": rounds,
        "median_rps_ratio": rps_ratio,
        "rps_target_min": job.rps_target,
        "rps_meets": rps_ratio >= job.rps_target,
        "median_p99_ratio": p99_ratio,
        "p99_target_max": P99_TARGET,
        "p99_meets": p99_ratio <= P99_TARGET,
    }


def worker_rss_mb(master_pid: int) -> dict[int, float]:
    """Resident memory (MB) of the gunicorn workers: the processes whose parent is the master."""
    rss = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            rss[int(status.parent.name)] = int(fields["VmRSS"].split()[0]) / 1024
    return rss


def run_bench(args: argparse.Namespace, base: URL, wrk_bin: str, report: dict[str, Any]) -> None:
    """Seed, serve, check and measure both apps; fill ``report``. Stops the servers whatever happens."""
    urls = {name: base.set(database=name).render_as_string(hide_password=False) for name in (EVENTAPP_DB, REFAPP_DB)}
    ours_env = dict(
        os.environ,
        DATABASE_URL=urls[EVENTAPP_DB],
        SECRET_KEY=BENCH_SECRET_KEY,
        EVENTAPP_BASE_URL=f"http://{HOST}:{EVENTAPP_PORT}",
    )
    ref_env = dict(os.environ, DATABASE_URL=urls[REFAPP_DB])
    print(f"databases {EVENTAPP_DB} and {REFAPP_DB} at {base.render_as_string()}")
    reset_databases(base, (EVENTAPP_DB, REFAPP_DB), create=True)
    slug = report["event_slug"] = prepare_eventapp(base.set(database=EVENTAPP_DB), ours_env)
    seed = [str(VENV_BIN / "flask"), "--app", "refapp", "seed", "--events", "500"]
    print(" ", run_command(seed, args.refapp_dir, ref_env))
    jobs = [
        Job(
            "event page (10 talks, 10 speakers, their 10 decks, a recording, a board)",
            f"/events/{slug}",
            "/events/event-0001",
            0.7,
        ),
        Job(f"catalogue ({CATALOGUE_SIZE} upcoming events)", "/", "/events/event-0001", 0.7),
        Job(f"/calendar.ics ({FEED_SIZE} events), full GET", "/calendar.ics", "/events.ics", 1.0),
        Job("/calendar.ics conditional GET answered 304", "/calendar.ics", "/hello", 0.8, conditional=True),
        Job(
            "programme page (the demo's Nordic dialogue)",
            "/programmes/nordic-buyer-dialogues",
            "/events/event-0001",
            0.7,
        ),
        Job("/programmes (every demo programme)", "/programmes", "/events/event-0001", 0.7),
    ]
    if args.jobs:
        jobs = [job for job in jobs if any(word in job.name for word in args.jobs)]
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as logs:
        try:
            servers.append(
                start_server("eventapp", "wsgi:app", REPO, ours_env, EVENTAPP_PORT, "/healthz", Path(logs), workers=2)
            )
            refapp = "refapp:create_app()"
            servers.append(
                start_server("refapp", refapp, args.refapp_dir, ref_env, REFAPP_PORT, "/hello", Path(logs), workers=2)
            )
            for server in servers:
                wait_ready(server)
            check_pages(jobs)
            for job in jobs:
                if job.conditional:
                    prepare_conditional(job)
            print(
                f"wrk -t{args.threads} -c{args.connections}: {args.warmup} s warm-up + {args.duration} s measured, "
                f"{args.rounds} rounds of eventapp then refapp per job"
            )
            report["jobs"] = [run_job(wrk_bin, args, job, report["wrk_errors"]) for job in jobs]
            report["worker_rss_mb"] = {server.name: worker_rss_mb(server.proc.pid) for server in servers}
        finally:
            for server in servers:
                stop_server(server)
            report["gunicorn_log_error_lines"] = {server.name: len(log_error_lines(server)) for server in servers}


def print_report(report: dict[str, Any]) -> None:
    verdict = {True: "meets", False: "MISSES"}
    for job in report["jobs"]:
        print(f"\n{job['job']}: eventapp {job['eventapp_path']} vs refapp {job['refapp_path']}")
        print(ROW.format(*HEADER))
        for number, r in enumerate(job["rounds"], 1):
            ours, ref = ([r[app][key] for key in ("rps", "p50_ms", "p99_ms")] for app in ("eventapp", "refapp"))
            print(FIGURES.format(number, *ours, *ref, r["rps_ratio"], r["p99_ratio"]))
        print(
            f"median rps ratio {job['median_rps_ratio']:.3f} "
            f"(target >= {job['rps_target_min']:g}: {verdict[job['rps_meets']]}), "
            f"median p99 ratio {job['median_p99_ratio']:.2f} (target <= {P99_TARGET:g}: {verdict[job['p99_meets']]})"
        )
    for name, workers in report["worker_rss_mb"].items():
        figures = ", ".join(f"pid {pid} {mb:.1f} MB" for pid, mb in sorted(workers.items()))
        print(
            f"\n{name} gunicorn workers' resident memory: {figures}" if name == "eventapp" else f"({name}: {figures})"
        )
    for name, count in report["gunicorn_log_error_lines"].items():
        if count:
            print(f"!!!!! {name}'s gunicorn log has {count} error lines (tracebacks, [ERROR], worker timeouts) !!!!!")
    if report["wrk_errors"]:
        print(f"!!!!! wrk counted errors: {', '.join(f'{k}={v}' for k, v in report['wrk_errors'].items())} !!!!!")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.refapp_dir = args.refapp_dir.resolve()
    if not all((args.refapp_dir / name).is_file() for name in ("refapp.py", "report.lua")):
        fail(f"no reference app (refapp.py, report.lua) in {args.refapp_dir}; pass --refapp-dir")
    wrk_bin = shutil.which("wrk") or fail("wrk is not installed (apt-get install wrk)")
    base = make_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_BASE))
    started = datetime.now(UTC)
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()}
    report: dict[str, Any] = {"started_at": started.isoformat(), "settings": settings, "wrk_errors": {}}
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
    out = RESULTS_DIR / f"pages-{started:%Y%m%dT%H%M%SZ}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {out.relative_to(REPO)}")
    return 1 if report["wrk_errors"] or any(report["gunicorn_log_error_lines"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
