"""Events as iCalendar documents: the download, the feeds and the invitations (RFC 5545, 5546, 7986).

Pure: no Flask, no request or app context. Functions take models and plain values and return bytes, so
the views, the mail builders and the tests call them alike. ARCHITECTURE.md ("Calendar invites follow
iTIP/iMIP") sets the rules this module keeps:

* Two kinds of UID, both ASCII, random, with no personal data. Public documents (the feeds, the
  download ``/events/<slug>.ics``) carry the event's: ``event_uid(event)``. A person's invitations
  (REQUEST, CANCEL) and their own calendar file carry their registration's: ``registration_uid``, the
  same across that registration's updates and its cancellation; a new sign-up is a new UID. So a
  cancel-and-sign-up-again never reuses a UID whose entry a client has already cancelled, and a feed
  never overwrites (or is overwritten by) the entry holding a person's join link. A person who
  subscribes to a feed and is registered sees the event twice, once in each calendar: the public
  entry in the subscribed calendar (it stays when they cancel their place) and their own attendance,
  with the join link, in their own calendar (it goes when they cancel).
* SEQUENCE is the caller's: the event's ``calendar_sequence`` for public documents (raised when
  time, place or join link change, and when the event is cancelled), the registration's for its
  invitations (raised for every invitation after the first, so it strictly increases per UID).
* Times are UTC (``...Z``). Never a TZID, never a floating time, no generated VTIMEZONE: a UTC instant
  is exact on every client, including the repeated 02:30 on the day daylight saving time ends.
* Every document has an ORGANIZER (RFC 5546 requires it for PUBLISH, REQUEST and CANCEL).
* Nobody is asked to reply: nothing reads iMIP REPLY mail (the organizer address is the site's
  no-reply sender), so a REQUEST says ``PARTSTAT=ACCEPTED;RSVP=FALSE`` (the person signed up, which is
  their answer; cancelling is done through their own link), and a CANCEL's ATTENDEE has neither.
* The join link of an online or hybrid event appears only when the caller says the document is for a
  confirmed attendee (``include_join_url=True``): first in DESCRIPTION, in LOCATION (which Outlook and
  Google show first) and as RFC 7986 ``CONFERENCE;VALUE=URI;FEATURE=VIDEO``. Feeds never carry it.
  X-GOOGLE-CONFERENCE and X-MICROSOFT-SKYPETEAMSMEETINGURL are not written: Google and Outlook only
  act on them for their own meeting services, and a Zoom or Whereby link there would mislead.
* No control characters, by construction: text values lose C0/C1 controls other than tab (vertical
  tab, form feed, CR and Unicode line separators become line breaks, which are escaped), addresses and
  parameters lose them too, so one title pasted with ``\\x07`` or ``\\x1b`` cannot make a strict parser
  reject a feed that every subscriber reads.

The document is built with icalendar's object model (its property types encode the values and their
parameters), and written out by ``_serialize`` rather than ``Calendar.to_ical()``: icalendar 7.3 folds
correctly (by octets, never inside a UTF-8 character) but one character at a time in Python, which
made a 500-event feed cost about 250 ms. ``_serialize`` writes the same content lines, CRLF-terminated,
and folds them at 75 octets in one pass over the UTF-8 bytes, never inside a character and never
between a backslash and the character it escapes. Three property types are our own, subclasses of
icalendar's: ``_UTCDateTime`` (refuses naive times, always writes ``Z``), ``_Text`` (RFC 5545 TEXT
escaping of exactly ``\\ ; ,`` and line breaks, control characters dropped; icalendar's turns a
literal ``\\N`` into a line break) and ``_Uri`` (control characters and white space dropped).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from icalendar import Calendar, Component, Parameters, vCalAddress, vDatetime, vDuration, vInt, vText, vUri
from icalendar import Event as VEvent

__all__ = [
    "ENGLISH", "CalendarEvent", "CalendarRegistration", "Labels", "Method", "Person", "clean_text",
    "event_calendar", "event_uid", "feed_calendar", "registration_uid",
]  # fmt: skip

PRODID = "-//eventapp//eventapp//EN"


class CalendarEvent(Protocol):
    """What a calendar reads of an event (``events.models.Event`` has all of it). The calendar package
    is a leaf: it takes plain values and imports no domain (docs/ARCHITECTURE.md, "Layers")."""

    @property
    def calendar_uid(self) -> str: ...
    @property
    def calendar_sequence(self) -> int: ...
    @property
    def starts_at(self) -> datetime: ...
    @property
    def ends_at(self) -> datetime: ...
    @property
    def title(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def description_text(self) -> str: ...
    @property
    def venue_name(self) -> str: ...
    @property
    def venue_address(self) -> str: ...
    @property
    def city(self) -> str: ...
    @property
    def online_url(self) -> str: ...
    @property
    def coordinates(self) -> tuple[float, float] | None: ...
    @property
    def created_at(self) -> datetime | None: ...
    @property
    def updated_at(self) -> datetime | None: ...
    @property
    def is_cancelled(self) -> bool: ...
    @property
    def has_online_part(self) -> bool: ...
    @property
    def has_venue(self) -> bool: ...


#: Any kind of event a calendar is made of (the feeds pass theirs back to their callbacks).
E = TypeVar("E", bound=CalendarEvent)


class CalendarRegistration(Protocol):
    """What a calendar reads of a registration (``registrations.models.Registration``)."""

    @property
    def calendar_uid(self) -> str | None: ...
    @property
    def event(self) -> CalendarEvent: ...


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


def event_uid(event: CalendarEvent) -> str:
    """The event's iCalendar UID, the same in the feeds and the public download."""
    return f"{event.calendar_uid}@{UID_DOMAIN}"


def registration_uid(registration: CalendarRegistration) -> str:
    """The UID of one registration's invitations and personal calendar file. A registration made before
    registrations had their own UID (``calendar_uid`` None) keeps the event's, which its invitations
    already carried, so updates still reach the entry in that person's calendar."""
    if registration.calendar_uid is None:
        return event_uid(registration.event)
    return f"{registration.calendar_uid}@{UID_DOMAIN}"


def event_calendar(
    event: CalendarEvent,
    *,
    method: Method,
    event_url: str,
    organizer: Person,
    attendee: Person | None = None,
    include_join_url: bool = False,
    uid: str | None = None,
    sequence: int | None = None,
    now: datetime | None = None,
    labels: Labels = ENGLISH,
    online_only: bool = False,
) -> bytes:
    """One event as an iCalendar document (one VEVENT), for a download or an iMIP mail.

    ``event_url`` is the absolute address of the event's page (URL and the last line of DESCRIPTION).
    ``organizer`` is the event's contact (see ``calendar/people.py``); every method carries it.

    * ``Method.PUBLISH``: a calendar file. An ``attendee`` is refused (RFC 5546 allows none in PUBLISH).
    * ``Method.REQUEST``: the invitation of one confirmed attendee (``attendee`` required:
      ``PARTSTAT=ACCEPTED;RSVP=FALSE``, no reply is asked for).
    * ``Method.CANCEL``: STATUS:CANCELLED, ``attendee`` required (no PARTSTAT, no RSVP).

    ``uid`` and ``sequence`` default to the event's (``event_uid``, ``calendar_sequence``); an
    invitation passes its registration's. The caller raises the sequence before building a later
    document for the same UID, or calendars that already hold that SEQUENCE ignore it.

    A cancelled event is STATUS:CANCELLED whatever the method; any other is STATUS:CONFIRMED. The join
    link of an online or hybrid event is written (DESCRIPTION, LOCATION, CONFERENCE) only with
    ``include_join_url=True``: pass it only for a document that goes to a confirmed attendee.
    ``online_only``: the person takes part online in a hybrid event, so the venue is not their place:
    LOCATION is the join link (or "Online"), and no GEO. (Someone on site gets the venue and no link:
    ``include_join_url=False``.) ``now`` is the DTSTAMP (default: the current time). Raises ValueError
    for a missing attendee, an attendee in a PUBLISH, a malformed address, or a naive datetime.
    """
    if method is not Method.PUBLISH and attendee is None:
        raise ValueError(f"METHOD:{method} needs an organizer and an attendee")
    if method is Method.PUBLISH and attendee is not None:
        raise ValueError("METHOD:PUBLISH carries no attendee (RFC 5546, 3.2.1)")
    prepared = prepare_event_calendar(
        event, method=method, event_url=event_url, organizer=organizer, include_join_url=include_join_url,
        labels=labels, online_only=online_only,
    )  # fmt: skip
    return prepared.document(attendee=attendee, uid=uid, sequence=sequence, now=now)


#: The VEVENT's properties that differ between two people's invitations to one event, in their places.
_PERSONAL = ("UID", "DTSTAMP", "SEQUENCE", "ATTENDEE")


@dataclass(frozen=True)
class PreparedCalendar:
    """One event's calendar document with its personal lines left out: the content lines (folded) of
    everything that is the same in every attendee's invitation, and the slots of UID, DTSTAMP, SEQUENCE
    and ATTENDEE. ``document`` fills them in. Made by ``prepare_event_calendar``; ``event_calendar``
    is ``prepare_event_calendar(...).document(...)``, so both write the same bytes by construction. The
    mail worker keeps one per event, method and language for a batch of invitations (about a fifth of
    rendering a confirmation, measured in PERFORMANCE.md, "Third round")."""

    method: Method
    #: The content lines, None in the slot of each personal property (ATTENDEE's slot is last).
    lines: tuple[bytes | None, ...]
    default_uid: str
    default_sequence: int

    def document(
        self,
        *,
        attendee: Person | None = None,
        uid: str | None = None,
        sequence: int | None = None,
        now: datetime | None = None,
    ) -> bytes:
        """The document for ``attendee`` (None for PUBLISH) under ``uid`` and ``sequence`` (default: the
        event's) stamped ``now`` (default: the current time). Raises ValueError as ``event_calendar``."""
        personal = iter(
            (
                _line("UID", _Text(uid or self.default_uid)),
                _line("DTSTAMP", _UTCDateTime(now or datetime.now(UTC))),
                _line("SEQUENCE", vInt(self.default_sequence if sequence is None else sequence)),
                None if attendee is None else _line("ATTENDEE", self._attendee(attendee)),
            )
        )
        lines = [line if line is not None else next(personal) for line in self.lines]
        return b"\r\n".join([line for line in lines if line is not None] + [b""])

    def _attendee(self, attendee: Person) -> vCalAddress:
        # A REQUEST records the sign-up as the answer and asks for no other; a CANCEL asks nothing.
        answer = {"PARTSTAT": "ACCEPTED", "RSVP": "FALSE"} if self.method is Method.REQUEST else {}
        return _address(attendee, CUTYPE="INDIVIDUAL", ROLE="REQ-PARTICIPANT", **answer)


def prepare_event_calendar(
    event: CalendarEvent,
    *,
    method: Method,
    event_url: str,
    organizer: Person,
    include_join_url: bool = False,
    labels: Labels = ENGLISH,
    online_only: bool = False,
) -> PreparedCalendar:
    """What ``event_calendar`` writes for ``event`` whoever it is for, once (see ``PreparedCalendar``).
    The event's values are read here: a document made from it after the event changed is the old one."""
    calendar = _calendar(method)
    placeholder = _UTCDateTime(datetime(2000, 1, 1, tzinfo=UTC))
    vevent = _vevent(
        event,
        event_url=event_url,
        stamp=placeholder,
        join_url=event.online_url if include_join_url and event.has_online_part else "",
        cancelled=method is Method.CANCEL,
        labels=labels,
        organizer=organizer,
        uid="placeholder",
        sequence=0,
        online_only=online_only,
    )
    head: list[bytes] = []
    _content_lines(calendar, head)
    end = head.pop()  # END:VCALENDAR: the VEVENT goes before it
    lines: list[bytes | None] = [*head]
    lines.append(f"BEGIN:{vevent.name}".encode())
    for name, values in vevent.items():
        if name in _PERSONAL:
            lines.append(None)
            continue
        for value in values if isinstance(values, list) else (values,):
            lines.append(_line(name, value))
    lines.append(None)  # ATTENDEE, last, as it always was
    lines.append(f"END:{vevent.name}".encode())
    lines.append(end)
    return PreparedCalendar(
        method=method,
        lines=tuple(lines),
        default_uid=event_uid(event),
        default_sequence=event.calendar_sequence or 0,
    )


def feed_calendar(
    events: Iterable[E],
    *,
    name: str,
    description: str = "",
    event_url: Callable[[E], str],
    organizer_for: Callable[[E], Person],
    refresh: timedelta = timedelta(hours=1),
    now: datetime | None = None,
    labels_for: Callable[[E], Labels] = lambda _event: ENGLISH,
) -> bytes:
    """A subscribable feed (METHOD:PUBLISH) of ``events``, one VEVENT each, in the order given.

    ``name`` becomes NAME (RFC 7986) and X-WR-CALNAME (what Outlook and Google read); ``description``
    DESCRIPTION and X-WR-CALDESC. ``refresh`` tells clients how often to fetch the feed again
    (REFRESH-INTERVAL;VALUE=DURATION and X-PUBLISHED-TTL). ``event_url(event)`` gives each event's
    absolute page address, ``organizer_for(event)`` its ORGANIZER. Cancelled events stay in the feed
    as STATUS:CANCELLED, so subscribers' calendars mark them instead of silently losing them. A feed
    never carries a join link.
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
                    labels=labels_for(event), organizer=organizer_for(event))
        )  # fmt: skip
    return _serialize(calendar)


# --- no control characters ------------------------------------------------------------------------------

#: Line-like characters: CR (alone or before LF), vertical tab, form feed, the information separators
#: Python's ``splitlines`` breaks on, NEL and Unicode's line and paragraph separators.
_LINE_LIKE = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
#: What remains of RFC 5545's CONTROL (3.1) once those are line breaks, tab and LF kept; and C1 controls.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")
#: Everything that has no place in a URI or an address: controls, white space, Unicode separators.
_NOT_IN_URI = re.compile(r"[\x00-\x20\x7f-\xa0\u2028\u2029]")


def clean_text(value: str) -> str:
    """``value`` with every line break as ``\\n``, tab kept, and no other control character."""
    if value.isprintable() or value.replace("\n", "").replace("\t", "").isprintable():
        return value  # the usual case, found in C at a fraction of a regular expression's cost
    return _CONTROL.sub("", _LINE_LIKE.sub("\n", value))


def _one_line(value: str) -> str:
    """``value`` on one line, its runs of white space and controls one space (names, parameter values)."""
    return " ".join(_CONTROL.sub(" ", _LINE_LIKE.sub(" ", value)).split())


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
    """TEXT with exactly RFC 5545's escaping (3.3.11): backslash, semicolon, comma, line breaks; and no
    control character (``clean_text``). A lone surrogate (never valid UTF-8) becomes ``?``."""

    __slots__ = ()

    def to_ical(self) -> bytes:
        return (
            clean_text(str(self))
            .replace("\\", "\\\\")
            .replace(";", "\\;")
            .replace(",", "\\,")
            .replace("\n", "\\n")
            .encode("utf-8", "replace")
        )


class _Uri(vUri):
    """A URI with no control character or white space in it (neither belongs in one)."""

    def to_ical(self) -> bytes:
        return _NOT_IN_URI.sub("", str(self)).encode("utf-8", "replace")


def _calendar(method: Method) -> Calendar:
    calendar = Calendar()
    calendar["PRODID"] = _Text(PRODID)
    calendar["VERSION"] = _Text("2.0")
    calendar["CALSCALE"] = _Text("GREGORIAN")
    calendar["METHOD"] = _Text(method.value)
    return calendar


def _vevent(
    event: CalendarEvent,
    *,
    event_url: str,
    stamp: _UTCDateTime,
    join_url: str,
    cancelled: bool,
    labels: Labels,
    organizer: Person,
    uid: str | None = None,
    sequence: int | None = None,
    online_only: bool = False,
) -> VEvent:
    vevent = VEvent()
    vevent["UID"] = _Text(uid or event_uid(event))
    vevent["DTSTAMP"] = stamp
    vevent["DTSTART"] = _UTCDateTime(event.starts_at)
    vevent["DTEND"] = _UTCDateTime(event.ends_at)
    vevent["SEQUENCE"] = vInt((event.calendar_sequence or 0) if sequence is None else sequence)
    vevent["STATUS"] = _Text("CANCELLED" if cancelled or event.is_cancelled else "CONFIRMED")
    vevent["SUMMARY"] = _Text(event.title)
    vevent["DESCRIPTION"] = _Text(_description(event, event_url=event_url, join_url=join_url, labels=labels))
    location = _location(event, labels, join_url, online_only=online_only)
    if location:
        vevent["LOCATION"] = _Text(location)
    if join_url:
        vevent["CONFERENCE"] = _Uri(
            join_url, params={"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": _one_line(labels.join.replace('"', "'"))}
        )
    if event.coordinates and not online_only:
        from eventapp.calendar.geo import Geo  # here, not at the top: keeps this addition in one place

        vevent["GEO"] = Geo(event.coordinates)
    vevent["URL"] = _Uri(event_url, params={"VALUE": "URI"})
    vevent["ORGANIZER"] = _organizer_address(organizer)
    if event.created_at is not None:
        vevent["CREATED"] = _UTCDateTime(event.created_at)
    if event.updated_at is not None:
        vevent["LAST-MODIFIED"] = _UTCDateTime(event.updated_at)
    return vevent


def _location(event: CalendarEvent, labels: Labels, join_url: str, *, online_only: bool = False) -> str:
    """Venue name, address and city (unless the address already ends with it: "0037 Oslo"), or Online.
    With a join link (a confirmed attendee's document): the link itself for an online event (or for
    someone online at a hybrid one, ``online_only``), the venue followed by "Online: <link>" for a hybrid
    one."""
    if not event.has_venue or online_only:
        return _one_line(join_url) or labels.online
    parts = [p.strip() for p in (event.venue_name, event.venue_address) if p and p.strip()]
    city = (event.city or "").strip()
    address = (event.venue_address or "").strip().casefold()
    if city and not address.endswith(city.casefold()):
        parts.append(city)
    place = ", ".join(parts)
    if join_url:
        online = f"{labels.online}: {_one_line(join_url)}"
        return f"{place}; {online}" if place else online
    return place


def _description(event: CalendarEvent, *, event_url: str, join_url: str, labels: Labels) -> str:
    """Plain text: the join line (attendees only, first so it is found at once), the summary, the
    description, and the event page's address."""
    blocks = []
    if join_url:
        blocks.append(f"{labels.join}: {join_url}")
    blocks.extend(b.strip() for b in (event.summary, event.description_text) if b and b.strip())
    blocks.append(f"{labels.event_page}: {event_url}")
    return "\n\n".join(blocks)


_EMAIL = re.compile(r"[^\s\x00-\x1f\x7f-\x9f@<>\"(),;:\\\[\]]+@[^\s\x00-\x1f\x7f-\x9f@<>\"(),;:\\\[\]]+")


@lru_cache(maxsize=64)
def _organizer_address(person: Person) -> vCalAddress:
    """The ORGANIZER line's value, built once per person: a feed names the same few on every event.
    Shared, so never changed after it is made."""
    return _address(person)


def _address(person: Person, **params: str) -> vCalAddress:
    """``mailto:`` address with the display name as CN.

    A parameter value cannot hold a double quote (RFC 5545, 3.1). RFC 6868 spells it ``^'``, but vobject
    (and so Radicale) does not decode that, and clients without RFC 6868 would show ``^'`` to people.
    So the name's double quotes become single ones and control characters spaces: ``Kommune; "Nord",
    Øst`` reads ``Kommune; 'Nord', Øst`` in every client. Commas and semicolons stay (the value is
    quoted). An address with a control character or white space in it is refused.
    """
    email = person.email.strip()
    if not _EMAIL.fullmatch(email):
        raise ValueError(f"not an email address: {email!r}")
    name = _one_line(person.name.replace('"', "'"))
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    for key, value in params.items():
        address.params[key] = value
    return address


# --- writing -------------------------------------------------------------------------------------------


def _serialize(calendar: Calendar) -> bytes:
    """The calendar's content lines, each folded at 75 octets and ended with CRLF."""
    lines: list[bytes] = []
    _content_lines(calendar, lines)
    lines.append(b"")
    return b"\r\n".join(lines)


#: RFC 5545's CONTROL as octets (every C0 control but tab, and DEL): no content line may hold one. Our
#: property types never write one; deleting them here keeps any other type (icalendar's, or a new one)
#: from writing one either. C1 controls are two octets in UTF-8 and are removed earlier, as text.
_CONTROL_OCTETS = bytes([*range(0x00, 0x09), *range(0x0A, 0x20), 0x7F])


def _content_lines(component: Component, lines: list[bytes]) -> None:
    lines.append(f"BEGIN:{component.name}".encode())
    for name, values in component.items():
        for value in values if isinstance(values, list) else (values,):
            lines.append(_line(name, value))
    for sub in component.subcomponents:
        _content_lines(sub, lines)
    lines.append(f"END:{component.name}".encode())


def _line(name: str, value: Any) -> bytes:
    """One property's content line, folded, without its CRLF. ``value``: an icalendar property value
    (each type has ``to_ical``, most have ``params``; icalendar gives them no common type)."""
    params = value.params.to_ical() if getattr(value, "params", None) else b""
    line = name.encode() + (b";" + params if params else b"") + b":" + value.to_ical()
    line = line.translate(None, _CONTROL_OCTETS)  # the last guard, whatever the property type
    return _fold(line) if len(line) > MAX_LINE_OCTETS else line


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
