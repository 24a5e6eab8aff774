"""What rendering a registration-mail draft costs the worker, in process: CPU per mail and statements per
batch of ``render_drafts``, and (with --profile) where the CPU goes. No SMTP, no HTTP: the cost of the code.

    .venv/bin/python bench/drafts_profile.py [--messages 1000] [--rounds 3] [--batch-size 100]
                                             [--profile] [--database eventapp_bench_drafts]
    PYTHONPATH=<older checkout> .venv/bin/python bench/drafts_profile.py   # the same, on older code

Creates the PostgreSQL database ``--database`` (at BENCH_DATABASE_URL; dropped and made again) and, per
round, fills the outbox with ``--messages`` confirmation drafts as ``bench/mail.py --drafts`` does (one
online webinar, registrations in nb, sv, fi and en, the calendar on each), then renders them with
``mail.drafts.render_drafts`` in batches of ``--batch-size`` as the worker does before it sends. Prints per
round the CPU and wall time per mail and the statements per batch; ``--profile`` prints the top of a
cProfile of the last round. Runs against whatever eventapp is first on ``sys.path``. Prints the load average.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
from mail import BENCH_SECRET_KEY, DEFAULT_BASE, enqueue_drafts, reset_database  # noqa: E402

# mail.py puts this checkout first; put it last, so PYTHONPATH=<other checkout> measures that one.
sys.path[:] = [p for p in sys.path if p not in (str(REPO), str(BENCH))] + [str(REPO)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--profile", action="store_true", help="cProfile the last round; print the top 30")
    parser.add_argument("--database", default="eventapp_bench_drafts")
    args = parser.parse_args()

    from sqlalchemy import event

    import eventapp
    from eventapp import create_app
    from eventapp.extensions import db
    from eventapp.mail.drafts import render_drafts

    url = reset_database(os.environ.get("BENCH_DATABASE_URL", DEFAULT_BASE), args.database)
    app = create_app({"SECRET_KEY": BENCH_SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url,
                      "EVENTAPP_BASE_URL": "https://events.example.org"})  # fmt: skip
    print(f"code: {Path(eventapp.__file__).parent.parent}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with app.app_context():
        db.create_all()
        engine = db.engine
    statements = 0

    def count(*_args: object) -> None:
        nonlocal statements
        statements += 1

    event.listen(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    cpus = []
    for number in range(1, args.rounds + 1):
        enqueue_drafts(app, args.messages)
        with app.app_context():
            db.session.remove()
            before, batches, done = statements, 0, 0
            profiling = args.profile and number == args.rounds
            cpu_started, wall_started = time.process_time(), time.perf_counter()
            if profiling:
                profiler.enable()
            while (handled := render_drafts(limit=args.batch_size).handled) > 0:
                done, batches = done + handled, batches + 1
                db.session.remove()
            if profiling:
                profiler.disable()
            cpu, wall = time.process_time() - cpu_started, time.perf_counter() - wall_started
        cpus.append(cpu / done * 1000)
        print(f"  round {number}: {done} drafts, {cpus[-1]:.3f} ms CPU and {wall / done * 1000:.3f} ms wall per "
              f"mail, {(statements - before) / batches:.1f} statements per batch of {args.batch_size}")  # fmt: skip
    print(f"median CPU per mail {statistics.median(cpus):.3f} ms")
    if args.profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with app.app_context():
        db.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
