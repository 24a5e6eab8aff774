"""End-to-end tests in a real Chromium: the app under gunicorn, a real mail worker, a real SMTP server.

Once per test run (package scope) this starts, on PostgreSQL only:

- a database of its own next to the test database (``<name>_browser``), so that the other tests, which
  empty every table after each test, and this package's mail worker never see each other's rows;
  it holds the demo data (``seed-demo``) plus what each test adds through the app's services;
- an SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives;
- ``gunicorn -w 2 wsgi:app`` on a free port, with rate limits raised (not off) and mail on;
- ``flask --app wsgi worker`` polling the outbox, with ``EVENTAPP_BASE_URL`` naming the server, so that
  links in mails lead back to it;
- Debian's Chromium (``/usr/bin/chromium``, headless) through Playwright; each test gets a new context;
- the Nu HTML Checker (vnu.jar on Debian's Java): every page any tab loads from the app is validated
  after the test that loaded it, and an error fails that test (``htmlcheck.py``).

Where Chromium, axe-core or vnu.jar (``npm ci``) or Java is missing the tests are skipped with the reason, except under
``CI=true``, where that fails the run. Each step's screenshots (phone and desktop widths) are written to
``tests/browser/screenshots/<test>/`` (ignored by git, kept by CI as artefacts).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from eventapp import create_app
from eventapp.extensions import db
from tests.browser import htmlcheck
from tests.conftest import IN_CI, TEST_CONFIG, ensure_postgres_database
from tests.mail_fixtures import SmtpServer
from tests.registrations.live_server import LiveServer, free_port, live_server

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
FLASK = Path(sys.executable).parent / "flask"
#: Widths of the screenshots taken at each step: a phone and a desktop.
WIDTHS = {"phone": 390, "desktop": 1280}
DESKTOP = {"width": 1280, "height": 900}
#: What axe checks: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Browser console messages that mean the page broke: the CSP blocked something, or a script failed.
CONSOLE_FAILURES = ("Content Security Policy", "Uncaught")
T = TypeVar("T")


def require(condition: bool, reason: str) -> None:
    """Skip with ``reason`` on a developer's machine; fail under CI, where browser tests must run."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI runs the browser tests: .ci/run installs what they need)", pytrace=False)
    pytest.skip(reason)


# --- the servers ---------------------------------------------------------------------------------


@dataclass
class Stack:
    """The running app, as the tests see it: its URL, an in-process app on the same database (to arrange
    and to check rows), and the SMTP server's inbox."""

    base_url: str
    server: LiveServer
    app: Flask
    smtp: SmtpServer
    worker_log: Path
    mail_timeout: float = 30

    def run(self, action: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``action(*args, **kwargs)`` inside an app context on the browser database."""
        with self.app.app_context():
            try:
                return action(*args, **kwargs)
            finally:
                db.session.remove()

    def mails_to(self, address: str, count: int = 1) -> list[EmailMessage]:
        """The mails the SMTP server received for ``address``, once there are at least ``count`` (the
        worker polls the outbox: this waits, up to ``mail_timeout`` seconds, never a fixed time)."""
        deadline = time.monotonic() + self.mail_timeout
        while True:
            found = [m for m in list(self.smtp.inbox.messages) if address in str(m["To"])]
            if len(found) >= count:
                return found
            if time.monotonic() > deadline:
                subjects = [f"{m['To']}: {m['Subject']}" for m in self.smtp.inbox.messages]
                pytest.fail(
                    f"{len(found)} of {count} mails to {address} arrived within {self.mail_timeout:.0f} s; the SMTP "
                    f"server has {subjects}\n--- worker log ---\n{self.worker_log.read_text(errors='replace')}"
                )
            time.sleep(0.05)


def _browser_database(url: str) -> str:
    """The browser tests' own database beside the test database, emptied (schema dropped) for this run."""
    target = make_url(url)
    own = target.set(database=f"{target.database}_browser").render_as_string(hide_password=False)
    reason = ensure_postgres_database(own)
    if reason:
        pytest.fail(reason, pytrace=False)  # the test database's server answered a moment ago
    engine = create_engine(own, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()
    return own


def _stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()  # the worker finishes the mail it is sending, then exits
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="package")
def tools() -> str:
    """Chromium and axe-core are there (else skip, or fail under CI). Returns axe-core's source."""
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (apt-get install chromium)")
    require(AXE_JS.exists(), f"{AXE_JS.relative_to(REPO)} is missing (npm ci at the repository root)")
    missing = htmlcheck.java_and_vnu_missing()
    require(missing is None, f"the Nu HTML Checker cannot run: {missing}")
    return AXE_JS.read_text()


@pytest.fixture(scope="package")
def nu_checker(tools: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[htmlcheck.NuChecker]:
    """The Nu HTML Checker, started once for the run (it answers after some seconds: the first check waits)."""
    checker = htmlcheck.NuChecker(port=free_port(), log_path=tmp_path_factory.mktemp("vnu") / "vnu.log")
    checker.start()
    try:
        yield checker
    finally:
        checker.stop()


@pytest.fixture(autouse=True)
def valid_html(nu_checker: htmlcheck.NuChecker) -> Iterator[None]:
    """After each test: every page its tabs loaded from the app (form answers included) is valid HTML."""
    htmlcheck.take_documents()
    yield
    documents = htmlcheck.take_documents()
    report = htmlcheck.describe_invalid(nu_checker, documents)
    assert not report, f"the Nu HTML Checker found errors on pages this test visited:\n{report}"


@pytest.fixture(scope="package")
def stack(tools: str, database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """The app under gunicorn, the mail worker and the SMTP server, on a database with the demo data."""
    from eventapp.demo import seed_demo

    url = _browser_database(database_url)
    folder = tmp_path_factory.mktemp("browser-stack")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    smtp = SmtpServer()
    smtp.start()
    #: For the server and the worker (and, where it matters, the in-process app that arranges data).
    env = {
        "EVENTAPP_BASE_URL": base_url,  # links in mails lead back to this server
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
        "MAIL_RETRY_BASE_SECONDS": "1",
        "EVENTAPP_DEFAULT_LOCALE": "en",
        "EVENTAPP_INSTANCE_PATH": str(folder / "instance"),
        "UPLOAD_FOLDER": str(folder / "uploads"),  # files the tests store, where the server looks
        "EVENTAPP_VERSION_CHECK_SECONDS": "0",  # two processes: an edit in one shows in the other at once
        "RATELIMIT_ENABLED": "1",  # on, as in production, but high enough for a test run from one address
        "RATELIMIT_SIGNUP": "1000 per minute",
        "RATELIMIT_LOGIN": "1000 per minute",
        "PYTHONUNBUFFERED": "1",
    }
    app = create_app(
        {
            **TEST_CONFIG,
            "SQLALCHEMY_DATABASE_URI": url,
            "EVENTAPP_BASE_URL": base_url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp.port,
            "UPLOAD_FOLDER": env["UPLOAD_FOLDER"],
        }
    )
    worker_log = folder / "worker.log"
    htmlcheck.set_own_server(base_url)
    try:
        with app.app_context():
            db.create_all()
            seed_demo()
            db.session.remove()
        with live_server(
            url, TEST_CONFIG["SECRET_KEY"], folder / "gunicorn.log", workers=2, port=port, extra_env=env
        ) as server:
            worker_env = {k: v for k, v in os.environ.items() if not k.startswith("MAIL_")}
            worker_env.update(env, DATABASE_URL=url, SECRET_KEY=TEST_CONFIG["SECRET_KEY"])
            with worker_log.open("wb") as out:
                worker = subprocess.Popen(
                    [str(FLASK), "--app", "wsgi", "worker", "--poll", "0.2"],
                    cwd=REPO,
                    env=worker_env,
                    stdout=out,
                    stderr=out,
                    start_new_session=True,
                )
            try:
                yield Stack(base_url=base_url, server=server, app=app, smtp=smtp, worker_log=worker_log)
            finally:
                _stop(worker)
        log = worker_log.read_text(errors="replace")
        if "Traceback" in log or worker.returncode not in (0, -signal.SIGTERM):
            pytest.fail(f"the mail worker failed (exit {worker.returncode}):\n{log}", pytrace=False)
    finally:
        smtp.stop()
        with app.app_context():
            db.engine.dispose()


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="package")
def browser(tools: str) -> Iterator[Any]:
    """One headless Chromium for the whole run (Debian's; Playwright downloads nothing)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


@dataclass
class Console:
    """What the page said in the browser console that means it broke (CSP refusals, script errors)."""

    failures: list[str] = field(default_factory=list)

    def listen(self, page: Any) -> None:
        page.on("console", self._console)
        htmlcheck.record_documents(page)  # checked after the test (the valid_html fixture)
        page.on("pageerror", lambda error: self.failures.append(f"{page.url}: {error}"))

    def _console(self, message: Any) -> None:
        if any(marker in message.text for marker in CONSOLE_FAILURES):
            self.failures.append(f"{message.location.get('url', '')}: {message.text}")


@pytest.fixture
def context(browser: Any, stack: Stack) -> Iterator[Any]:
    """A fresh browser profile (no cookies) at desktop size, in English, against the live server."""
    ctx = browser.new_context(base_url=stack.base_url, viewport=DESKTOP, locale="en-GB")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    """A tab in the test's own context. The test fails if the CSP blocked anything or a script threw."""
    console = Console()
    tab = context.new_page()
    console.listen(tab)
    yield tab
    assert not console.failures, "the browser console reported:\n" + "\n".join(console.failures)


@pytest.fixture
def other_page(browser: Any, stack: Stack) -> Iterator[Any]:
    """A second person's browser (its own profile: no cookies shared with ``page``), checked the same way."""
    ctx = browser.new_context(base_url=stack.base_url, viewport=DESKTOP, locale="en-GB")
    ctx.set_default_timeout(15_000)
    console = Console()
    tab = ctx.new_page()
    console.listen(tab)
    yield tab
    ctx.close()
    assert not console.failures, "the browser console reported:\n" + "\n".join(console.failures)


# --- screenshots and axe -----------------------------------------------------------------------


@pytest.fixture
def shoot(request: pytest.FixtureRequest) -> Callable[..., None]:
    """``shoot(page, "step")``: full-page screenshots of the page as it is, at phone and desktop widths
    (or the ``widths`` given), as ``screenshots/<test>/<nn>-<step>-<phone|desktop>.png``."""
    folder = SCREENSHOTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    steps = iter(range(1, 1000))

    def _shoot(page: Any, step: str, *, widths: dict[str, int] = WIDTHS) -> None:
        number = next(steps)
        size = page.viewport_size
        for label, width in widths.items():
            page.set_viewport_size({"width": width, "height": size["height"]})
            page.screenshot(path=folder / f"{number:02d}-{step}-{label}.png", full_page=True)
        page.set_viewport_size(size)

    return _shoot


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now. axe is evaluated through the
    DevTools protocol, so the app's CSP (no inline scripts) stays as it is."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    result = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return result["violations"]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    at {' > '.join(map(str, node['target']))}: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def check_a11y(tools: str) -> Callable[[Any, str], None]:
    """``check_a11y(page, "what")``: fail listing every axe violation (id, help, elements) on the page."""

    def _check(page: Any, what: str) -> None:
        violations = axe_violations(page, tools)
        assert not violations, f"axe: {len(violations)} WCAG 2.1 A/AA violations on {what} ({page.url}):\n" + (
            describe_violations(violations)
        )

    return _check


# --- mail and keyboard -------------------------------------------------------------------------


def mail_text(message: EmailMessage) -> str:
    """The plain-text body of a mail."""
    body = message.get_body(preferencelist=("plain",))
    assert body is not None, f"no text part in {message['Subject']!r}"
    return body.get_content()


def calendar_attachments(message: EmailMessage) -> list[tuple[str, bytes]]:
    """(file name, bytes) of each .ics file attached to a mail."""
    return [
        (part.get_filename() or "", part.get_payload(decode=True))
        for part in message.iter_attachments()
        if (part.get_filename() or "").endswith(".ics")
    ]


def registration_link(message: EmailMessage, base_url: str) -> str:
    """The person's own /r/<token> link in a mail (it must lead to the live server)."""
    found = re.findall(re.escape(base_url) + r"/r/[A-Za-z0-9_-]+", mail_text(message))
    assert found, f"no {base_url}/r/... link in {message['Subject']!r}:\n{mail_text(message)}"
    return found[0]


#: What ``focused(page)`` reports about the element that has the keyboard focus.
FOCUSED = """() => {
    const el = document.activeElement;
    return {tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute('name') || '',
            type: el.getAttribute('type') || '', text: (el.innerText || '').trim().slice(0, 80),
            autocomplete: el.getAttribute('autocomplete') || ''};
}"""


def focused(page: Any) -> dict[str, str]:
    return page.evaluate(FOCUSED)


def tab_to(page: Any, name: str, *, most: int = 40) -> dict[str, str]:
    """Press Tab until the field called ``name`` has the focus (fails after ``most`` presses)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        now = focused(page)
        if now["name"] == name:
            return now
    pytest.fail(f"{most} presses of Tab never reached the field {name!r} on {page.url}")


def follow(page: Any, target: Any) -> None:
    """Click a link or a button (``target``, a locator) and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        target.click()


def sign_in(page: Any, email: str) -> None:
    """Sign in on the login page as the organiser ``email`` (password ``scene.PASSWORD``)."""
    from tests.browser.scene import PASSWORD

    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    follow(page, page.get_by_role("button", name="Sign in"))
    assert page.url.endswith("/manage/"), page.url


def sign_up_in_browser(
    page: Any, stack: Any, slug: str, *, name: str, email: str, organisation: str = "Eksempel kommune"
) -> str:
    """Fill in and send the event's sign-up form (the required fields), see "check your inbox", and
    open the link of the mail that arrives (as the person would); returns the person's /r/ token."""
    page.goto(f"/events/{slug}/register")
    page.locator("#name").fill(name)
    page.locator("#email").fill(email)
    page.locator("#organisation").fill(organisation)
    page.get_by_label("Municipality").check()
    if not page.locator("#country").input_value():  # an English page suggests no country
        page.locator("#country").select_option("NO")
    page.locator("#accept_privacy").check()
    follow(page, page.locator("main form.form button[type=submit]"))
    assert page.url.endswith(f"/events/{slug}/register/sent"), f"signing up {email} ended at {page.url}"
    assert page.locator("h1").inner_text() == "Check your inbox"
    link = registration_link(stack.mails_to(email)[-1], stack.base_url)
    page.goto(link)
    return link.rsplit("/r/", 1)[1]
