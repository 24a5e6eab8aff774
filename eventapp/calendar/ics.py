"""Events as iCalendar documents: the download, the feeds and the invitations (RFC 5545, 5546, 7986).

Pure: no Flask, no request or app context. Functions take models and plain values and return bytes, so
the views, the mail builders and the tests call them alike. ARCHITECTURE.md ("Calendar invites follow
iTIP/iMIP") sets the rules this module keeps:

* One UID per event everywhere (feed, download, invitation): ``event_uid(event)``, ASCII, random, no
  personal data.
* Times are UTC (``...Z``). Never a TZID, never a floating time, no generated VTIMEZONE: a UTC instant
  is exact on every client, including the repeated 02:30 on the day daylight saving time ends.
* SEQUENCE is the event's ``calendar_sequence``; services raise it when time, place or join link
  change, and before a cancellation is sent.
* The join link of an online event appears only when the caller says the document is for a confirmed
  attendee (``include_join_url=True``); feeds never carry it.

The document is built with icalendar's object model (its property types encode the values and their
parameters), and written out by ``_serialize`` rather than ``Calendar.to_ical()``: icalendar 7.3 folds
correctly (by octets, never inside a UTF-8 character) but one character at a time in Python, which
made a 500-event feed cost about 250 ms. ``_serialize`` writes the same content lines, CRLF-terminated,
and folds them at 75 octets in one pass over the UTF-8 bytes, never inside a character and never
between a backslash and the character it escapes. Two property types are our own, both subclasses of
icalendar's: ``_UTCDateTime`` (refuses naive times, always writes ``Z``) and ``_Text`` (RFC 5545 TEXT
escaping of exactly ``\\ ; ,`` and line breaks; icalendar's turns a literal ``\\N`` into a line break).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from icalendar import Calendar, Component, Parameters, vCalAddress, vDatetime, vDuration, vInt, vText, vUri
from icalendar import Event as VEvent

if TYPE_CHECKING:
    from eventapp.events.models import Event

PRODID = "-//eventapp//eventapp//EN"
#: The part of every UID after the ``@``: names the system, as RFC 5545 suggests; no host name in it,
#: so moving the site to another domain keeps every UID (and every calendar entry) the same.
UID_DOMAIN = "eventapp"


@dataclass(frozen=True)
class Labels:
    """The few words this module writes itself: LOCATION of an event without a venue, and the labels of
    the lines added to DESCRIPTION. Calendar clients show them as written, so callers pass them in the
    reader's language (see ``calendar/labels.py``); this module stays pure and defaults to English."""

    online: str = "Online"
    event_page: str = "Event page"
    join: str = "Join online"


ENGLISH = Labels()
#: The English words, by their old names.
ONLINE_LOCATION, EVENT_PAGE_LABEL, JOIN_LABEL = ENGLISH.online, ENGLISH.event_page, ENGLISH.join
#: Longest line RFC 5545 allows, in octets, not counting the CRLF.
MAX_LINE_OCTETS = 75


class Method(StrEnum):
    """iTIP methods (RFC 5546) this app sends."""

    #: A calendar for anyone: the download and the feeds. No ATTENDEE.
    PUBLISH = "PUBLISH"
    #: An invitation to one confirmed attendee (the registration confirmation or an update).
    REQUEST = "REQUEST"
    #: The event is cancelled (or the attendee's registration is): calendars remove or strike it.
    CANCEL = "CANCEL"


@dataclass(frozen=True)
class Person:
    """An ORGANIZER or ATTENDEE: the display name becomes ``CN``, the address ``mailto:email``."""

    name: str
    email: str


def event_uid(event: Event) -> str:
    """The event's iCalendar UID, the same in the feeds, the download and every invitation."""
    return f"{event.calendar_uid}@{UID_DOMAIN}"


def event_calendar(
    event: Event,
    *,
    method: Method,
    event_url: str,
    organizer: Person | None = None,
    attendee: Person | None = None,
    include_join_url: bool = False,
    now: datetime | None = None,
    labels: Labels = ENGLISH,
) -> bytes:
    """One event as an iCalendar document (one VEVENT), for a download or an iMIP mail.

    ``event_url`` is the absolute address of the event's page (URL and the last line of DESCRIPTION).

    * ``Method.PUBLISH``: the public calendar file. ``organizer`` is optional; an ``attendee`` is refused
      (RFC 5546 allows none in PUBLISH).
    * ``Method.REQUEST``: the invitation of one confirmed attendee. ``organizer`` (the sender) and
      ``attendee`` (the recipient: RSVP, NEEDS-ACTION) are required.
    * ``Method.CANCEL``: STATUS:CANCELLED, same requirements as REQUEST. The SEQUENCE written is
      ``event.calendar_sequence`` as it is: the caller must raise it before building a cancellation, or
      calendars that already hold that SEQUENCE ignore the message.

    A cancelled event is STATUS:CANCELLED whatever the method; any other is STATUS:CONFIRMED. The join
    link of an online or hybrid event is written (as a "Join online" line in DESCRIPTION) only with
    ``include_join_url=True``: pass it only for a document that goes to a confirmed attendee.
    ``now`` is the DTSTAMP (default: the current time). Raises ValueError for missing people, an
    attendee in a PUBLISH, or a naive datetime.
    """
    if method is not Method.PUBLISH and (organizer is None or attendee is None):
        raise ValueError(f"METHOD:{method} needs an organizer and an attendee")
    if method is Method.PUBLISH and attendee is not None:
        raise ValueError("METHOD:PUBLISH carries no attendee (RFC 5546, 3.2.1)")
    calendar = _calendar(method)
    vevent = _vevent(
        event,
        event_url=event_url,
        stamp=_UTCDateTime(now or datetime.now(UTC)),
        join_url=event.online_url if include_join_url and event.has_online_part else "",
        cancelled=method is Method.CANCEL,
        labels=labels,
    )
    if organizer is not None:
        vevent["ORGANIZER"] = _address(organizer)
    if attendee is not None:
        vevent["ATTENDEE"] = _address(
            attendee,
            ROLE="REQ-PARTICIPANT",
            PARTSTAT="NEEDS-ACTION",
            RSVP="TRUE",
            CUTYPE="INDIVIDUAL",
        )
    calendar.add_component(vevent)
    return _serialize(calendar)


def feed_calendar(
    events: Iterable[Event],
    *,
    name: str,
    description: str = "",
    event_url: Callable[[Event], str],
    refresh: timedelta = timedelta(hours=1),
    now: datetime | None = None,
    labels_for: Callable[[Event], Labels] = lambda _event: ENGLISH,
) -> bytes:
    """A subscribable feed (METHOD:PUBLISH) of ``events``, one VEVENT each, in the order given.

    ``name`` becomes NAME (RFC 7986) and X-WR-CALNAME (what Outlook and Google read); ``description``
    DESCRIPTION and X-WR-CALDESC. ``refresh`` tells clients how often to fetch the feed again
    (REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL). ``event_url(event)`` gives each event's
    absolute page address. Cancelled events stay in the feed as STATUS:CANCELLED, so subscribers'
    calendars mark them instead of silently losing them. A feed never carries a join link.
    """
    calendar = _calendar(Method.PUBLISH)
    calendar["NAME"] = _Text(name)
    calendar["X-WR-CALNAME"] = _Text(name)
    if description:
        calendar["DESCRIPTION"] = _Text(description)
        calendar["X-WR-CALDESC"] = _Text(description)
    calendar["REFRESH-INTERVAL"] = vDuration(refresh, params={"VALUE": "DURATION"})
    calendar["X-PUBLISHED-TTL"] = vDuration(refresh)
    stamp = _UTCDateTime(now or datetime.now(UTC))
    for event in events:
        calendar.add_component(
            _vevent(event, event_url=event_url(event), stamp=stamp, join_url="", cancelled=False,
                    labels=labels_for(event))
        )  # fmt: skip
    return _serialize(calendar)


# --- building ----------------------------------------------------------------------------------------


class _UTCDateTime(vDatetime):
    """A DATE-TIME in UTC, written ``YYYYMMDDTHHMMSSZ`` (whole seconds). Refuses naive datetimes."""

    def __init__(self, dt: datetime, /) -> None:
        if dt.tzinfo is None or dt.utcoffset() is None:
            raise ValueError(f"naive datetime {dt!r}: calendars never carry floating times")
        self.dt = dt.astimezone(UTC).replace(microsecond=0)
        self.params = Parameters()

    def to_ical(self) -> bytes:
        dt = self.dt
        return f"{dt.year:04}{dt.month:02}{dt.day:02}T{dt.hour:02}{dt.minute:02}{dt.second:02}Z".encode()


class _Text(vText):
    """TEXT with exactly RFC 5545's escaping (3.3.11): backslash, semicolon, comma, line breaks."""

    __slots__ = ()

    def to_ical(self) -> bytes:
        return (
            self.replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\r\n", "\\n")
            .replace("\r", "\\n")
            .replace("\n", "\\n")
            .encode()
        )


def _calendar(method: Method) -> Calendar:
    calendar = Calendar()
    calendar["PRODID"] = _Text(PRODID)
    calendar["VERSION"] = _Text("2.0")
    calendar["CALSCALE"] = _Text("GREGORIAN")
    calendar["METHOD"] = _Text(method.value)
    return calendar


def _vevent(
    event: Event, *, event_url: str, stamp: _UTCDateTime, join_url: str, cancelled: bool, labels: Labels
) -> VEvent:
    vevent = VEvent()
    vevent["UID"] = _Text(event_uid(event))
    vevent["DTSTAMP"] = stamp
    vevent["DTSTART"] = _UTCDateTime(event.starts_at)
    vevent["DTEND"] = _UTCDateTime(event.ends_at)
    vevent["SEQUENCE"] = vInt(event.calendar_sequence or 0)
    vevent["STATUS"] = _Text("CANCELLED" if cancelled or event.is_cancelled else "CONFIRMED")
    vevent["SUMMARY"] = _Text(event.title)
    vevent["DESCRIPTION"] = _Text(_description(event, event_url=event_url, join_url=join_url, labels=labels))
    location = _location(event, labels)
    if location:
        vevent["LOCATION"] = _Text(location)
    if event.coordinates:
        from eventapp.calendar.geo import Geo  # here, not at the top: keeps this addition in one place

        vevent["GEO"] = Geo(event.coordinates)
    vevent["URL"] = vUri(event_url, params={"VALUE": "URI"})
    if event.created_at is not None:
        vevent["CREATED"] = _UTCDateTime(event.created_at)
    if event.updated_at is not None:
        vevent["LAST-MODIFIED"] = _UTCDateTime(event.updated_at)
    return vevent


def _location(event: Event, labels: Labels) -> str:
    """Venue name, address and city (unless the address already ends with it: "0037 Oslo"), or Online."""
    if not event.has_venue:
        return labels.online
    parts = [p.strip() for p in (event.venue_name, event.venue_address) if p and p.strip()]
    city = (event.city or "").strip()
    address = (event.venue_address or "").strip().casefold()
    if city and not address.endswith(city.casefold()):
        parts.append(city)
    return ", ".join(parts)


def _description(event: Event, *, event_url: str, join_url: str, labels: Labels) -> str:
    """Plain text: the join line (attendees only, first so it is found at once), the summary, the
    description, and the event page's address."""
    blocks = []
    if join_url:
        blocks.append(f"{labels.join}: {join_url}")
    blocks.extend(b.strip() for b in (event.summary, plain_text(event.description_html)) if b and b.strip())
    blocks.append(f"{labels.event_page}: {event_url}")
    return "\n\n".join(blocks)


_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f]+")
_EMAIL = re.compile(r"[^\s@<>\"(),;:\\\[\]]+@[^\s@<>\"(),;:\\\[\]]+")


def _address(person: Person, **params: str) -> vCalAddress:
    """``mailto:`` address with the display name as CN.

    A parameter value cannot hold a double quote (RFC 5545, 3.1). RFC 6868 spells it ``^'``, but vobject
    (and so Radicale) does not decode that, and clients without RFC 6868 would show ``^'`` to people.
    So the name's double quotes become single ones and control characters spaces: ``Kommune; "Nord",
    Øst`` reads ``Kommune; 'Nord', Øst`` in every client. Commas and semicolons stay (the value is
    quoted).
    """
    email = person.email.strip()
    if not _EMAIL.fullmatch(email):
        raise ValueError(f"not an email address: {email!r}")
    name = " ".join(_UNSAFE_IN_NAME.sub(" ", person.name.replace('"', "'")).split())
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address


# --- Markdown (already rendered to sanitised HTML) to plain text ------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_INLINE_TAGS = re.compile(r"</?(?:strong|em|b|i|code|abbr|span|thead|tbody)\b[^>]*>")
_LINK = re.compile(r"<a\b[^>]*?(?:\bhref=\"([^\"]*)\"[^>]*)?>(.*?)</a>", re.DOTALL)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_SPACE_BEFORE_BREAK = re.compile(r"[ \t]+\n")
_MANY_BREAKS = re.compile(r"\n{3,}")
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "div"})


def plain_text(description_html: str) -> str:
    """Readable plain text from an event's rendered description (``Event.description_html``).

    The HTML is the organisers' Markdown, rendered and sanitised on save, so reading it here is cheap
    (no Markdown parsing per feed) and meets only the few tags the sanitiser keeps. Markup is dropped;
    paragraphs and headings stay paragraphs; list items become ``- item`` or ``1. item`` lines (indented
    when nested); a link keeps its address, ``text (https://...)``; line breaks and preformatted text
    are kept; table cells are separated by `` | ``.
    """
    if not description_html:
        return ""
    source = description_html
    pre = "<pre" in source
    if pre:  # its white space is kept: hidden behind stand-ins while the rest is collapsed
        source = _PRE.sub(_protect_white_space, source)
    source = _INLINE_TAGS.sub("", " ".join(source.split()))  # white space collapses, as in HTML
    if "<a" in source:
        source = _LINK.sub(_link_text, source)

    out: list[str] = []
    breaks = 0  # line breaks owed before the next text: 1 a new line, 2 a blank line
    line_start = True  # the next text begins a line (so its leading space goes)
    after_marker = False  # just wrote a list item's "- ": the item's paragraph stays on that line
    lists: list[list[int]] = []  # per open list: [next number] for <ol>, [] for <ul>
    first_cell = True
    pos = 0
    for match in _TAG.finditer(source):
        text = source[pos : match.start()]
        pos = match.end()
        if line_start:
            text = text.lstrip(" ")
        if text:
            if breaks and out:
                out.append("\n" * breaks)
            out.append(text)
            breaks, line_start, after_marker = 0, False, False
        closing, name = match.group(1), match.group(2).lower()
        need = 0
        if name in _BLOCKS or name == "br":
            need = 1 if lists or name == "br" else 2
        elif name == "ul" or name == "ol":
            if closing and lists:
                lists.pop()
            need = 1 if lists else 2
            if not closing:
                lists.append([1] if name == "ol" else [])
        elif name == "li":
            need = 1
            if not closing:
                counter = lists[-1] if lists else []
                marker = f"{counter[0]}. " if counter else "- "
                if counter:
                    counter[0] += 1
                if out:
                    out.append("\n" * max(breaks, 1))
                out.append("  " * max(len(lists) - 1, 0) + marker)
                breaks, line_start, after_marker, need = 0, True, True, 0
        elif name == "tr":
            need, first_cell = 1, True
        elif (name == "td" or name == "th") and not closing:
            if not first_cell:
                if out:
                    out[-1] = out[-1].rstrip(" ")
                out.append(" | ")
                line_start = True
            first_cell = False
        if need and not after_marker:
            breaks = max(breaks, need)
            line_start = True
    tail = source[pos:].lstrip(" ") if line_start else source[pos:]
    if tail:
        if breaks and out:
            out.append("\n" * breaks)
        out.append(tail)
    text = "".join(out)
    if pre:
        text = text.replace("\x00", "\n").replace("\x01", " ").replace("\x02", "\t")
    text = _SPACE_BEFORE_BREAK.sub("\n", html.unescape(text))
    return _MANY_BREAKS.sub("\n\n", text).strip()


def _protect_white_space(match: re.Match[str]) -> str:
    return match.group(0).replace("\n", "\x00").replace(" ", "\x01").replace("\t", "\x02")


def _link_text(match: re.Match[str]) -> str:
    """A link as its text followed by its address in brackets (only the text, when they are the same)."""
    href, label = match.group(1) or "", match.group(2)
    if "<" in label:
        label = _TAG.sub("", label)
    label = label.strip()
    if not href or href in (label, f"mailto:{label}", f"tel:{label}"):
        return label
    return f"{label} ({href})" if label else href


# --- writing -------------------------------------------------------------------------------------------


def _serialize(calendar: Calendar) -> bytes:
    """The calendar's content lines, each folded at 75 octets and ended with CRLF."""
    lines: list[bytes] = []
    _content_lines(calendar, lines)
    lines.append(b"")
    return b"\r\n".join(lines)


def _content_lines(component: Component, lines: list[bytes]) -> None:
    lines.append(f"BEGIN:{component.name}".encode())
    for name, values in component.items():
        for value in values if isinstance(values, list) else (values,):
            params = value.params.to_ical() if getattr(value, "params", None) else b""
            line = name.encode() + (b";" + params if params else b"") + b":" + value.to_ical()
            lines.append(_fold(line) if len(line) > MAX_LINE_OCTETS else line)
    for sub in component.subcomponents:
        _content_lines(sub, lines)
    lines.append(f"END:{component.name}".encode())


def _fold(line: bytes) -> bytes:
    """Fold one UTF-8 content line (RFC 5545, 3.1): at most 75 octets per physical line, the
    continuation's leading space included; never inside a UTF-8 character, and never between a
    backslash (or RFC 6868 caret) and the character it escapes, which some clients misread."""
    parts = []
    start, limit, size = 0, MAX_LINE_OCTETS, len(line)
    while size - start > limit:
        end = start + limit
        while line[end] & 0xC0 == 0x80:  # a continuation byte: the cut would split a character
            end -= 1
        escape = line[end - 1]
        if escape in (0x5C, 0x5E):  # \ or ^: an odd run of them escapes the next character
            run = end - 1
            while run > start and line[run - 1] == escape:
                run -= 1
            if (end - run) % 2:
                end -= 1
        parts.append(line[start:end])
        start, limit = end, MAX_LINE_OCTETS - 1
    parts.append(line[start:])
    return b"\r\n ".join(parts)
