"""What the benchmarks share: failing with a message, running a command, the bench databases, and
gunicorn servers (start on a free-checked port, wait until they answer, stop, count error lines)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = REPO / ".venv" / "bin"
HOST = "127.0.0.1"
#: Lines in a gunicorn log that mean something went wrong in a worker.
LOG_ERROR_MARKERS = ("Traceback", "[ERROR]", "WORKER TIMEOUT")


def fail(message: str) -> NoReturn:
    """Stop the bench with ``message``, named after the script that runs."""
    raise SystemExit(f"bench/{Path(sys.argv[0]).name}: {message}")


def run_command(cmd: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        fail(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


def reset_databases(base: URL, names: tuple[str, ...], *, create: bool) -> None:
    """Drop the bench databases ``names`` (and make them anew with ``create``)."""
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            for name in names:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                if create:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        fail(f"cannot reach PostgreSQL at {base.render_as_string()} (set BENCH_DATABASE_URL): {exc.orig}")
    finally:
        engine.dispose()


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path
    ready_url: str


def start_server(
    name: str, spec: str, cwd: Path, env: dict[str, str], port: int, probe: str, logs: Path, *, workers: int
) -> Server:
    """gunicorn -w ``workers`` -k sync serving ``spec`` on HOST:port, in its own session, logging to
    ``logs/<name>.log``."""
    with socket.socket() as sock:
        if sock.connect_ex((HOST, port)) == 0:
            fail(f"port {port} is already in use; stop whatever listens there first")
    cmd = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-k", "sync", "-b", f"{HOST}:{port}", spec]
    log = logs / f"{name}.log"
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=out, start_new_session=True)
    return Server(name, proc, log, f"http://{HOST}:{port}{probe}")


def http_get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own http://127.0.0.1 URLs
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def wait_ready(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.proc.poll() is None:
        try:
            if http_get(server.ready_url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    tail = "".join(server.log.read_text(errors="replace").splitlines(keepends=True)[-30:])
    fail(f"{server.ready_url} did not answer 200 within {timeout:.0f} s; the end of {server.name}'s log:\n{tail}")


def stop_server(server: Server) -> None:
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.proc.pid, signal.SIGKILL)  # its own session: only this master and its workers
            server.proc.wait()


def log_error_lines(server: Server) -> list[str]:
    lines = server.log.read_text(errors="replace").splitlines()
    return [line for line in lines if any(m in line for m in LOG_ERROR_MARKERS)]
