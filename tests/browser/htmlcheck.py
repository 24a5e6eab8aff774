"""Every page the browser tests visit is valid HTML, checked with the Nu HTML Checker (vnu.jar).

The HTML is the exact bytes the server sent (not the DOM after scripts ran): each tab is watched with
``record_documents(page)`` (``Console.listen`` does it for every tab), which keeps the body of each page
the tab navigated to on the app's own server, form answers included (a form sent with errors is a page
of its own). After each test ``assert_valid`` sends them to one checker started once per test run
(``java -cp vnu.jar nu.validator.servlet.Main <port>`` on 127.0.0.1) and fails on any error; warnings
are allowed.

vnu.jar comes from the npm registry (``vnu-jar``, pinned in package-lock.json, ``npm ci``) and runs on
Debian's Java (``default-jre-headless``, installed by .ci/run).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
VNU_JAR = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: How long the checker may take to start (a JVM on a busy two-core machine).
START_TIMEOUT = 120
#: Message types that fail a page: errors, and documents the checker could not read at all.
FAILING_TYPES = ("error", "non-document-error")


@dataclass(frozen=True)
class Document:
    """One page as the server sent it: what the tab asked for and the HTML it got."""

    method: str
    url: str
    status: int
    html: bytes

    def label(self) -> str:
        return f"{self.method} {self.url} ({self.status})"


#: The pages recorded since ``take_documents()`` last emptied the list (one test's pages).
_documents: list[Document] = []
#: URL prefixes of the app under test: pages from anywhere else (a routed stand-in player) are not ours.
_own_prefixes: list[str] = []


def set_own_server(base_url: str) -> None:
    _own_prefixes[:] = [base_url.rstrip("/") + "/"]


def record_documents(page: Any) -> None:
    """Keep the HTML of every page ``page`` (a Playwright tab) loads in its main frame from the app."""

    def _finished(request: Any) -> None:
        if request.resource_type != "document" or request.frame != page.main_frame:
            return
        if not any(request.url.startswith(prefix) for prefix in _own_prefixes):
            return
        response = request.response()
        if response is None or 300 <= response.status < 400:
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            return  # a download (CSV, Excel, a calendar) opened in the tab
        _documents.append(Document(request.method, request.url, response.status, response.body()))

    page.on("requestfinished", _finished)


def take_documents() -> list[Document]:
    """The pages recorded so far, emptying the list."""
    taken = list(_documents)
    _documents.clear()
    return taken


def java_and_vnu_missing() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "java is missing (apt-get install default-jre-headless)"
    if not VNU_JAR.exists():
        return f"{VNU_JAR.relative_to(REPO)} is missing (npm ci at the repository root)"
    return None


@dataclass
class NuChecker:
    """The Nu HTML Checker as a local web service, started once and asked about each page."""

    port: int
    log_path: Path
    proc: subprocess.Popen[bytes] | None = None
    ready: bool = False
    checked: int = field(default=0)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?out=json"

    def start(self) -> None:
        """Start the JVM (it answers some seconds later: ``wait_until_ready``)."""
        java = shutil.which("java") or "java"
        with self.log_path.open("wb") as log:
            self.proc = subprocess.Popen(
                [
                    java,
                    "-Xss4m",  # the checker's documented stack size for deep documents
                    "-Xmx1g",
                    "-Dnu.validator.servlet.bind-address=127.0.0.1",
                    "-cp",
                    str(VNU_JAR),
                    "nu.validator.servlet.Main",
                    str(self.port),
                ],
                stdout=log,
                stderr=log,
                start_new_session=True,
            )

    def wait_until_ready(self) -> None:
        if self.ready:
            return
        assert self.proc is not None, "start() first"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the Nu HTML Checker exited ({self.proc.returncode}):\n{self.log()}")
            try:
                self.messages(b"<!doctype html><html lang=en><title>Warming up</title>")
                self.ready = True
                return
            except (urllib.error.URLError, ConnectionError) as error:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"the Nu HTML Checker did not answer in {START_TIMEOUT} s:\n{self.log()}"
                    ) from error
                time.sleep(0.25)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def messages(self, html: bytes) -> list[dict[str, Any]]:
        """Everything the checker says about the document (errors, warnings, information)."""
        headers = {"Content-Type": "text/html; charset=utf-8"}
        request = urllib.request.Request(self.url, data=html, headers=headers, method="POST")  # noqa: S310 - 127.0.0.1
        with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - our own checker on 127.0.0.1
            return json.load(answer)["messages"]

    def errors(self, document: Document) -> list[str]:
        """The document's errors, one line each: where, what, and the markup around it."""
        self.wait_until_ready()
        self.checked += 1
        found = []
        for message in self.messages(document.html):
            if message.get("type") not in FAILING_TYPES:
                continue
            where = f"line {message.get('lastLine', '?')}"
            extract = " ".join(message.get("extract", "").split())
            found.append(f"    {where}: {message.get('message')}  «{extract}»")
        return found


def describe_invalid(checker: NuChecker, documents: list[Document]) -> str:
    """A report of every error in ``documents``, page by page (empty when all are valid)."""
    report = []
    for document in documents:
        errors = checker.errors(document)
        if errors:
            report.append(f"{document.label()}: {len(errors)} errors\n" + "\n".join(errors))
    return "\n".join(report)
