"""Calendar test tools: events without a database, two independent parsers, and a real CalDAV server.

* ``make_event(**columns)`` builds an Event in memory (no session, no database) for the pure
  ``calendar.ics`` module; ``ics_event`` hands it out as a fixture.
* ``parse(document)`` reads a document with icalendar *and* vobject and checks that both see the
  same events: every document a test makes goes through it.
* ``radicale`` starts Radicale (a CalDAV server) on 127.0.0.1 with its storage in a temporary folder;
  ``CalDAV.import_and_read_back`` stores a document's events in a fresh calendar collection the way a
  CalDAV client does, and reads them back. If Radicale cannot start, the tests that need it fail.
"""

from __future__ import annotations

import base64
import http.client
import itertools
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar
import pytest
import vobject

import eventapp.models  # noqa: F401 - every model mapped, so an Event can be built without an app
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from tests.conftest import at

BASE_URL = "https://eventapp.test"
_counter = itertools.count(1)


def make_event(**overrides: Any) -> Event:
    """A published online event two weeks after 2027-01-01, built in memory with every column set."""
    n = next(_counter)
    starts_at = overrides.pop("starts_at", datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    values: dict[str, Any] = {
        "slug": f"event-{n}",
        "title": f"Event number {n}",
        "summary": "A short summary of the event.",
        "description_md": "What we will talk about.",
        "kind": EventKind.WEBINAR,
        "format": EventFormat.ONLINE,
        "timezone": "Europe/Oslo",
        "starts_at": starts_at,
        "ends_at": overrides.pop("ends_at", starts_at + timedelta(hours=2)),
        "language": "nb",
        "status": EventStatus.PUBLISHED,
        "calendar_uid": uuid.uuid4().hex,
        "calendar_sequence": 0,
        "created_at": datetime(2026, 11, 1, 8, 0, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 2, 8, 0, tzinfo=UTC),
    }
    values.update(overrides)
    return Event(**values)


def page_url(event: Event) -> str:
    return f"{BASE_URL}/events/{event.slug}"


@pytest.fixture
def ics_event() -> Any:
    """``ics_event(**columns)``: an in-memory event (see ``make_event``)."""
    return make_event


# --- reading documents -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parsed:
    """One document as both parsers read it."""

    calendar: icalendar.Calendar
    vcalendar: Any  # vobject's component

    @property
    def events(self) -> list[icalendar.Event]:
        return list(self.calendar.walk("VEVENT"))

    @property
    def event(self) -> icalendar.Event:
        (only,) = self.events
        return only

    @property
    def vevents(self) -> list[Any]:
        return list(self.vcalendar.contents.get("vevent", []))

    @property
    def vevent(self) -> Any:
        (only,) = self.vevents
        return only


def parse(document: bytes) -> Parsed:
    """Read ``document`` with icalendar and with vobject, and check that they agree on every event."""
    calendar = icalendar.Calendar.from_ical(document)
    vcalendar = vobject.readOne(document.decode("utf-8"))
    parsed = Parsed(calendar, vcalendar)
    assert len(parsed.events) == len(parsed.vevents)
    for mine, theirs in zip(parsed.events, parsed.vevents, strict=True):
        assert str(mine["UID"]) == theirs.uid.value
        assert mine.decoded("DTSTART") == theirs.dtstart.value
        assert mine.decoded("DTEND") == theirs.dtend.value
        assert mine.decoded("DTSTART").utcoffset() == timedelta(0)
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "URL", "STATUS"):
            if name in mine:
                assert str(mine[name]) == theirs.contents[name.lower()][0].value, name
    return parsed


def raw_value(document: bytes, name: str) -> list[str]:
    """The raw (unfolded, still escaped) values of every ``name`` line in the document."""
    text = re.sub(r"\r\n[ \t]", "", document.decode("utf-8"))
    return [line.split(":", 1)[1] for line in text.split("\r\n") if re.match(rf"{name}[;:]", line)]


def physical_lines(document: bytes) -> list[bytes]:
    """The lines as they travel, CRLF removed (the document must end with CRLF)."""
    assert document.endswith(b"\r\n")
    return document[:-2].split(b"\r\n")


# --- CalDAV ------------------------------------------------------------------------------------------------


class CalDAV:
    """A small CalDAV client (http.client) for the test server: one user, ``test``."""

    user = "test"

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.base_url = f"http://{host}:{port}"
        self._auth = "Basic " + base64.b64encode(f"{self.user}:test".encode()).decode()

    def request(self, method: str, path: str, body: bytes | None = None, **headers: str) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Authorization": self._auth, **headers})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def new_calendar(self) -> str:
        """MKCALENDAR a fresh collection; its path."""
        path = f"/{self.user}/{uuid.uuid4().hex}/"
        status, body = self.request("MKCALENDAR", path)
        assert status == 201, (status, body)
        return path

    def import_and_read_back(self, document: bytes) -> list[bytes]:
        """Store each event of ``document`` as a calendar object resource, then GET each one back."""
        collection = self.new_calendar()
        read_back = []
        for n, resource in enumerate(calendar_objects(document)):
            path = f"{collection}{n}.ics"
            status, body = self.request("PUT", path, resource, **{"Content-Type": "text/calendar; charset=utf-8"})
            assert status == 201, (status, body)
            status, body = self.request("GET", path)
            assert status == 200, (status, body)
            read_back.append(body)
        return read_back


def calendar_objects(document: bytes) -> list[bytes]:
    """The document as CalDAV calendar object resources: one VCALENDAR per VEVENT, as a client imports.

    RFC 4791 (4.1) forbids METHOD in a stored resource (Radicale 3.9 would accept it, a stricter
    server not), so it is left out, like the feed's own properties (NAME, X-WR-*, REFRESH-INTERVAL),
    which describe the collection. Each VEVENT keeps its bytes exactly as the document has them.
    """
    head, separator, _ = document.partition(b"BEGIN:VEVENT\r\n")
    assert separator, "no VEVENT in the document"
    kept = [
        line
        for line in re.sub(rb"\r\n[ \t]", b"", head).split(b"\r\n")
        if line.split(b":", 1)[0] in (b"BEGIN", b"VERSION", b"PRODID", b"CALSCALE")
    ]
    blocks = re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", document, re.DOTALL)
    return [b"\r\n".join(kept) + b"\r\n" + block + b"END:VCALENDAR\r\n" for block in blocks]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CalDAV]:
    """Radicale on 127.0.0.1:<free port>, storage in a temporary folder; stopped after the session."""
    folder = tmp_path_factory.mktemp("radicale")
    port = _free_port()
    config = folder / "config"
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\n"
        "type = none\n"
        "[storage]\n"
        f"filesystem_folder = {folder / 'collections'}\n"
        "[web]\n"
        "type = none\n"
        "[logging]\n"
        "level = warning\n"
    )
    log = folder / "radicale.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "radicale", "--config", str(config)], stdout=output, stderr=subprocess.STDOUT
        )
    client = CalDAV("127.0.0.1", port)
    try:
        _wait_until_answering(client, process, log)
        yield client
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_answering(client: CalDAV, process: subprocess.Popen[bytes], log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"Radicale exited with {process.returncode}:\n{log.read_text()}", pytrace=False)
        try:
            status, _ = client.request("OPTIONS", "/")
        except OSError:
            time.sleep(0.1)
            continue
        if status < 500:
            return
        time.sleep(0.1)
    pytest.fail(f"Radicale did not answer on {client.base_url} within {timeout} s:\n{log.read_text()}", pytrace=False)


# --- the cases the issue names -----------------------------------------------------------------------------

#: A Norwegian description of exactly 10,000 characters, in paragraphs, with æøå, commas, semicolons
#: and quotes (no Markdown markup, so its plain text is itself).
_SENTENCES = (
    "Kommunene på Nord-Vestlandet ønsker å få vite mer om innovative anskaffelser; særlig om dialog med "
    "leverandører før konkurransen.",
    "Vi går gjennom erfaringer fra Ålesund, Førde og Ørsta, og «hva som virket» – og hva som ikke gjorde det.",
    'Deltakerne får møte innkjøpere, jurister og "brukere" fra helse, skole og teknisk etat.',
    "Etter lunsj blir det gruppearbeid om behovsbeskrivelser, kravspesifikasjoner og evaluering; ta gjerne med "
    "egne eksempler.",
    "Møtet avsluttes med en kort oppsummering, og vi sender ut presentasjonene etterpå.",
)


def norwegian_text(length: int = 10_000) -> str:
    paragraphs = []
    size = 0
    for n in itertools.count():
        paragraph = " ".join(_SENTENCES[(n + i) % len(_SENTENCES)] for i in range(4))
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
        if size > length:
            break
    text = "\n\n".join(paragraphs)[:length]
    while not text[-1].isalnum():  # end on a letter: the plain text keeps exactly these characters
        text = text[:-1] + "ø"
    assert len(text) == length
    return text


JOIN_URL = "https://meet.example.org/j/123;a=b?x=1&y=2"
TRICKY_TITLE = 'Innkjøp; "Nord", Øst – dialog, del 2'
TRICKY_VENUE = 'Kommune; "Nord", Øst'
ORGANIZER_NAME = 'Kommune; "Nord", Øst'
ATTENDEE_NAME = "Øvrebø, Ærlig Åsmund"

#: (zone, start, end, DTSTART, DTEND, local wall-clock times a person in that zone sees).
#: The EU changes the clocks at 01:00 UTC: 02:00→03:00 and 03:00→02:00 in Oslo and Stockholm,
#: 03:00→04:00 and 04:00→03:00 in Helsinki; so Helsinki's window around the change is an hour later.
DST_CASES = {
    "oslo-dst-starts": (
        "Europe/Oslo",
        at(2027, 3, 28, 1, 30, tz="Europe/Oslo"),
        at(2027, 3, 28, 3, 30, tz="Europe/Oslo"),
        "20270328T003000Z",
        "20270328T013000Z",
        ("01:30", "03:30"),
    ),
    "oslo-dst-ends": (
        "Europe/Oslo",
        at(2027, 10, 31, 1, 30, tz="Europe/Oslo"),
        at(2027, 10, 31, 3, 30, tz="Europe/Oslo"),
        "20271030T233000Z",
        "20271031T023000Z",
        ("01:30", "03:30"),
    ),
    "stockholm-dst-starts": (
        "Europe/Stockholm",
        at(2027, 3, 28, 1, 30, tz="Europe/Stockholm"),
        at(2027, 3, 28, 3, 30, tz="Europe/Stockholm"),
        "20270328T003000Z",
        "20270328T013000Z",
        ("01:30", "03:30"),
    ),
    "stockholm-dst-ends": (
        "Europe/Stockholm",
        at(2027, 10, 31, 1, 30, tz="Europe/Stockholm"),
        at(2027, 10, 31, 3, 30, tz="Europe/Stockholm"),
        "20271030T233000Z",
        "20271031T023000Z",
        ("01:30", "03:30"),
    ),
    "helsinki-dst-starts": (
        "Europe/Helsinki",
        at(2027, 3, 28, 2, 30, tz="Europe/Helsinki"),
        at(2027, 3, 28, 4, 30, tz="Europe/Helsinki"),
        "20270328T003000Z",
        "20270328T013000Z",
        ("02:30", "04:30"),
    ),
    "helsinki-dst-ends": (
        "Europe/Helsinki",
        at(2027, 10, 31, 2, 30, tz="Europe/Helsinki"),
        at(2027, 10, 31, 4, 30, tz="Europe/Helsinki"),
        "20271030T233000Z",
        "20271031T023000Z",
        ("02:30", "04:30"),
    ),
    # The repeated half hour on the day DST ends: from its first to its second occurrence (one real hour,
    # "02:30–02:30" on the wall clock), which no TZID time can say.
    "oslo-repeated-0230": (
        "Europe/Oslo",
        at(2027, 10, 31, 2, 30, tz="Europe/Oslo"),
        at(2027, 10, 31, 2, 30, tz="Europe/Oslo") + timedelta(hours=1),
        "20271031T003000Z",
        "20271031T013000Z",
        ("02:30", "02:30"),
    ),
    "stockholm-repeated-0230": (
        "Europe/Stockholm",
        at(2027, 10, 31, 2, 30, tz="Europe/Stockholm"),
        at(2027, 10, 31, 2, 30, tz="Europe/Stockholm") + timedelta(hours=1),
        "20271031T003000Z",
        "20271031T013000Z",
        ("02:30", "02:30"),
    ),
    "helsinki-repeated-0330": (
        "Europe/Helsinki",
        at(2027, 10, 31, 3, 30, tz="Europe/Helsinki"),
        at(2027, 10, 31, 3, 30, tz="Europe/Helsinki") + timedelta(hours=1),
        "20271031T003000Z",
        "20271031T013000Z",
        ("03:30", "03:30"),
    ),
    # Crossing midnight (and a year) both in Oslo and in UTC.
    "oslo-crosses-midnight": (
        "Europe/Oslo",
        at(2027, 12, 31, 22, 30, tz="Europe/Oslo"),
        at(2028, 1, 1, 2, 0, tz="Europe/Oslo"),
        "20271231T213000Z",
        "20280101T010000Z",
        ("22:30", "02:00"),
    ),
}
