"""The app under gunicorn on the test database, and plain HTTP clients that hit it all at once.

For the tests that only mean something with several worker processes (row locks across processes).
The clients use nothing but the standard library: ``urllib`` with one cookie jar per person, redirects
not followed (a sign-up answers 303 and the test wants to see it).
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
#: Lines in a gunicorn log that mean something went wrong in a worker.
LOG_ERROR_MARKERS = ("Traceback", "[ERROR]", "WORKER TIMEOUT")
T = TypeVar("T")
_CSRF_INPUT = re.compile(r'<input[^>]*\bname="csrf_token"[^>]*>')
_VALUE = re.compile(r'\bvalue="([^"]*)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LiveServer:
    base_url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def error_lines(self) -> list[str]:
        return [line for line in self.log().splitlines() if any(m in line for m in LOG_ERROR_MARKERS)]

    def assert_log_clean(self) -> None:
        """No traceback, error line or worker time-out in the gunicorn log (the whole log in the message)."""
        if self.error_lines():
            pytest.fail(f"the gunicorn log has errors:\n{self.log()}", pytrace=False)

    def print_log(self) -> None:
        """To the test's captured output: pytest shows it when the test fails."""
        print(f"----- gunicorn log ({self.log_path}) -----\n{self.log()}----- end of gunicorn log -----")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # gunicorn: graceful shutdown of the master and its workers
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)  # its own session: only this master and its workers
                self.proc.wait()


def _get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own http://127.0.0.1
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


@contextmanager
def live_server(
    database_url: str,
    secret_key: str,
    log_path: Path,
    *,
    workers: int = 4,
    timeout: float = 60,
    port: int | None = None,
    extra_env: Mapping[str, str] | None = None,
) -> Iterator[LiveServer]:
    """``gunicorn -w <workers> -k sync wsgi:app`` on a free port, rate limits off, mail only to the outbox.

    ``port`` and ``extra_env`` (set last, so they may turn mail or rate limits back on) are for the browser
    tests, whose mail links must name the server. Waits until /healthz answers 200. Always terminated
    on exit; a traceback in its log then fails the test.
    """
    port = port or free_port()
    env = {k: v for k, v in os.environ.items() if k != "MAIL_SERVER"}
    env.update(
        DATABASE_URL=database_url,
        SECRET_KEY=secret_key,
        RATELIMIT_ENABLED="0",
        EVENTAPP_DEFAULT_LOCALE="en",
        PYTHONUNBUFFERED="1",
    )
    env.update(extra_env or {})
    cmd = [str(GUNICORN), "-w", str(workers), "-k", "sync", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    with log_path.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=out, start_new_session=True)
    server = LiveServer(f"http://127.0.0.1:{port}", proc, log_path)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                pytest.fail(f"gunicorn exited with {proc.returncode}:\n{server.log()}", pytrace=False)
            try:
                if _get_status(server.base_url + "/healthz") == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"/healthz did not answer 200 within {timeout:.0f} s:\n{server.log()}", pytrace=False)
            time.sleep(0.2)
        yield server
    finally:
        server.stop()
    server.assert_log_clean()


@dataclass(frozen=True)
class Reply:
    status: int
    location: str
    body: str

    def __repr__(self) -> str:
        return f"<Reply {self.status} {self.location or self.body[:80]!r}>"


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx answer, which Client turns into a Reply


class Client:
    """One person's browser: its own session cookie, redirects not followed."""

    def __init__(self, base_url: str, timeout: float = 60) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirects())

    def _open(self, request: urllib.request.Request) -> Reply:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Reply(response.status, response.headers.get("Location", ""), response.read().decode())
        except urllib.error.HTTPError as exc:
            with exc:
                return Reply(exc.code, exc.headers.get("Location", ""), exc.read().decode(errors="replace"))

    def get(self, path: str) -> Reply:
        return self._open(urllib.request.Request(self.base_url + path))  # noqa: S310 - http://127.0.0.1

    def post(self, path: str, data: dict[str, str]) -> Reply:
        body = urllib.parse.urlencode(data).encode()
        request = urllib.request.Request(self.base_url + path, data=body, method="POST")  # noqa: S310 - http://127.0.0.1
        return self._open(request)

    def csrf_token(self, path: str) -> str:
        """GET the page with the form: the session cookie lands in the jar; returns the form's token."""
        reply = self.get(path)
        assert reply.status == 200, f"GET {path}: {reply}"
        match = _CSRF_INPUT.search(reply.body)
        value = _VALUE.search(match.group(0)) if match else None
        assert value, f"GET {path}: no csrf_token in the page"
        return value.group(1)


def all_at_once(prepares: Sequence[Callable[[], Callable[[], T]]], *, timeout: float = 120) -> list[T]:
    """Run each ``prepare`` in its own thread (GET the form, say), wait until all are ready, then release
    the actions they return at the same moment. Returns the actions' results in order; re-raises the
    first exception any thread met."""
    released: list[float] = []
    barrier = threading.Barrier(len(prepares), action=lambda: released.append(time.monotonic()))
    results: list[Any] = [None] * len(prepares)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            action = prepares[i]()
        except Exception as exc:  # noqa: BLE001 - handed to the calling thread, which raises it
            errors.append(exc)
            barrier.abort()
            return
        try:
            barrier.wait(timeout=timeout)
            results[i] = action()
        except Exception as exc:  # noqa: BLE001 - handed to the calling thread, which raises it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(prepares))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(deadline - time.monotonic(), 0.1))
    if any(thread.is_alive() for thread in threads):
        pytest.fail(f"{sum(t.is_alive() for t in threads)} clients still waiting after {timeout:.0f} s")
    if errors:
        raise errors[0]
    if released:
        print(f"{len(prepares)} actions released at once took {time.monotonic() - released[0]:.1f} s")
    return results


def tally(replies: Sequence[Reply]) -> Counter[int]:
    return Counter(reply.status for reply in replies)
