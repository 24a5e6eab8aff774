"""The start-up warning about rate limits counted in each process's own memory."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from flask import Flask


def warn_about_per_process_rate_limits(app: Flask) -> None:
    """Memory storage counts rate limits in each process: N gunicorn workers allow N times the limit.
    Outside debug and testing that is a mistake in the set-up, so say so loudly: a log WARNING in every
    process, and under gunicorn a banner on stderr once per server (the first worker to start)."""
    uri = str(app.config["RATELIMIT_STORAGE_URI"])
    if not app.config["RATELIMIT_ENABLED"] or not uri.startswith("memory") or app.debug or app.testing:
        return
    message = (
        f"Rate limits are counted in each process's own memory (RATELIMIT_STORAGE_URI={uri}): with several "
        "gunicorn workers, every worker allows the full limit again. Set RATELIMIT_STORAGE_URI=redis://"
        "127.0.0.1:6379/0 (any Redis the app processes share), as in the README's production recipe."
    )
    # A module logger, not app.logger: the latter would attach Flask's own handler to "eventapp" and every
    # eventapp.* record (the mail worker's too) would then be printed twice.
    logging.getLogger(__name__).warning(message)
    if "gunicorn" in os.environ.get("SERVER_SOFTWARE", "") and _first_process_of_this_server(app):
        print(f"WARNING: {message}", file=sys.stderr, flush=True)


def _first_process_of_this_server(app: Flask) -> bool:
    """True in the first process of this gunicorn server to ask (its workers share the parent's id)."""
    marker = Path(app.instance_path) / f".ratelimit-warning-{os.getppid()}"
    try:
        os.close(os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return False
    return True
