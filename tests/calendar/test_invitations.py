"""Invitation lifecycles, end to end: every mail kind that carries a calendar, for an online, a hybrid
and an in-person event, built by the real use cases (sign-up, waiting list, reschedule, change of place
or link, cancellations, sign-up again, event cancelled) and read from the outbox as the bytes that go
out. After each step the public calendars (/calendar.ics, the programme feed, /events/<slug>.ics) and
each person's own file (/r/<token>/calendar.ics) are fetched and checked too.

Each document is read by two parsers (``parse``) and the rules are asserted on its raw bytes. Each
person's invitations are also applied, as a calendar client applies iTIP, to a collection on a real
CalDAV server (Radicale): an update replaces the stored object only when its SEQUENCE is higher, a new
UID is a new object. The stored objects must end in the state the person expects.

The event's title, summary and description hold control characters (``\\x07``, ``\\x0b``, ``\\x1b``)
written straight into the database, as old rows may: no document may carry one.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field, fields
from datetime import timedelta
from typing import Any

import icalendar
import pytest
from sqlalchemy import select, update

from eventapp.calendar.ics import event_uid
from eventapp.events import services as event_services
from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import services
from eventapp.registrations.enums import AttendanceMode, RegistrationStatus
from eventapp.registrations.models import Registration
from tests.calendar.conftest import CalDAV, calendar_objects, parse, raw_value
from tests.drafts import render_drafts
from tests.mail.test_worker import drain
from tests.registrations.test_rules import data

JOIN = "https://meet.example.org/j/123;a=b?x=1&y=2"
ONLINE = AttendanceMode.ONLINE
NEW_JOIN = "https://meet.example.org/j/456"
BAD_TITLE = "Dialog\x07møte\x0bom\x1b innkjøp"
CLEAN_TITLE = "Dialogmøte\nom innkjøp"  # the bell and escape go; the vertical tab is a line break
ORGANIZER = "mailto:noreply@example.org"  # MAIL_DEFAULT_SENDER in the tests: the site's sender

FORMATS: dict[str, dict[str, Any]] = {
    "online": {"format": EventFormat.ONLINE, "online_url": JOIN},
    "hybrid": {
        "format": EventFormat.HYBRID,
        "venue_name": "Tinghuset",
        "venue_address": "Storgata 1, 9008 Tromsø",
        "city": "Tromsø",
        "online_url": JOIN,
        "online_capacity": 1,  # the people of these stories take part online (the join link's rules)
    },
    "in_person": {
        "format": EventFormat.IN_PERSON,
        "venue_name": "Oslo rådhus",
        "venue_address": "Rådhusplassen 1",
        "city": "Oslo",
    },
}
#: The change of place (or link) the organiser makes in each format.
PLACE_CHANGES: dict[str, dict[str, str]] = {
    "online": {"online_url": NEW_JOIN},
    "hybrid": {"venue_name": "Rådhuset", "online_url": NEW_JOIN},
    "in_person": {"venue_name": "Deichman Bjørvika"},
}
#: RFC 5545's CONTROL characters (3.1: C0 but tab, and DEL), and C1 controls: none may appear (CR only
#: before LF).
CONTROL = re.compile(rb"[\x00-\x08\x0a-\x1f\x7f]|\xc2[\x80-\x9f]")


def unfolded(document: bytes) -> str:
    return re.sub(r"\r\n[ \t]", "", document.decode("utf-8"))


def assert_clean(document: bytes) -> None:
    """Well-formed lines: CRLF only, no control character anywhere, no bare CR or LF."""
    assert CONTROL.search(document.replace(b"\r\n", b"")) is None, document
    assert b"\n" not in document.replace(b"\r\n", b"")


@dataclass
class Person:
    """One person's mailbox and calendar: their invitations applied to a CalDAV collection."""

    email: str
    caldav: CalDAV
    collection: str = ""
    #: UID -> resource path in the collection.
    objects: dict[str, str] = field(default_factory=dict)
    #: UID -> SEQUENCEs of the invitations received, in order.
    sequences: dict[str, list[int]] = field(default_factory=dict)

    def apply(self, document: bytes) -> None:
        """Apply an iTIP REQUEST or CANCEL as a calendar client does."""
        if not self.collection:
            self.collection = self.caldav.new_calendar()
        [vevent] = parse(document).events
        uid, sequence = str(vevent["UID"]), int(vevent["SEQUENCE"])
        [resource] = calendar_objects(document)
        path = self.objects.get(uid)
        if path is None:
            if raw_value(document, "METHOD") == ["CANCEL"]:
                return  # nothing to cancel
            path = self.objects[uid] = f"{self.collection}{uuid.uuid4().hex}.ics"
        else:
            stored = self.stored(uid)
            if sequence <= int(stored["SEQUENCE"]):
                return  # an old or repeated update: clients ignore it
        status, body = self.caldav.request("PUT", path, resource, **{"Content-Type": "text/calendar; charset=utf-8"})
        assert status in (201, 204), (status, body)

    def stored(self, uid: str) -> icalendar.Event:
        status, body = self.caldav.request("GET", self.objects[uid])
        assert status == 200, (status, body)
        return parse(body).event


@dataclass
class Story:
    """One event's lifecycle: runs the use cases and checks every document after every step."""

    app: Any
    client: Any
    kind: str
    event_id: int
    event_slug: str
    programme_slug: str
    organiser: Any
    caldav: CalDAV
    people: dict[str, Person] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    last_mail_id: int = 0
    feed_sequences: list[int] = field(default_factory=list)

    # --- steps -------------------------------------------------------------------------------------------

    def sign_up(self, email: str) -> list[OutboxMessage]:
        with self.app.app_context():
            result = services.register(self.event_id, data(email, attendance=ONLINE if self.kind == "hybrid" else None))
        self.tokens[email] = result.token
        return self.new_mails()

    def cancel(self, email: str) -> list[OutboxMessage]:
        with self.app.app_context():
            registration = db.session.scalars(
                select(Registration).where(Registration.email == email).order_by(Registration.id.desc())
            ).first()
            services.cancel_registration(registration.id)
        return self.new_mails()

    def change(self, **changes: Any) -> list[OutboxMessage]:
        with self.app.app_context():
            event = db.session.get(Event, self.event_id)
            values = {f.name: getattr(event, f.name) for f in fields(event_services.EventData)}
            values.update(changes)
            event_services.update_event(
                self.event_id, event_services.EventData(**values), actor=self.organiser, tell_attendees=True
            )
        return self.new_mails()

    def cancel_event(self) -> list[OutboxMessage]:
        with self.app.app_context():
            event_services.cancel_event(self.event_id, actor=self.organiser, message="Vi flytter møtet.")
        return self.new_mails()

    # --- reading and checking ----------------------------------------------------------------------------

    def event(self) -> Event:
        with self.app.app_context():
            event = db.session.get(Event, self.event_id)
            db.session.expunge(event)
            return event

    def registration(self, email: str) -> Registration:
        with self.app.app_context():
            found = db.session.scalars(
                select(Registration).where(Registration.email == email).order_by(Registration.id.desc())
            ).first()
            db.session.expunge(found)
            return found

    def new_mails(self) -> list[OutboxMessage]:
        """The mails enqueued since the last step, each invitation checked and applied to its person's
        calendar; then every public calendar and personal file is checked."""
        with self.app.app_context():
            render_drafts()  # as the worker does before sending
            mails = list(
                db.session.scalars(
                    select(OutboxMessage).where(OutboxMessage.id > self.last_mail_id).order_by(OutboxMessage.id)
                )
            )
            db.session.expunge_all()
        if mails:
            self.last_mail_id = mails[-1].id
        for mail in mails:
            if mail.calendar is not None:
                self.check_invitation(mail)
        self.check_public_calendars()
        for email in self.tokens:
            self.check_personal_file(email)
        return mails

    def check_invitation(self, mail: OutboxMessage) -> None:
        document = mail.calendar
        assert_clean(document)
        parsed = parse(document)
        vevent = parsed.event
        method = raw_value(document, "METHOD")[0]
        assert method == mail.calendar_method.value
        uid = str(vevent["UID"])
        # The registration's own UID: ASCII, nothing personal, never the event's (feeds carry that).
        assert uid.isascii()
        assert uid.endswith("@eventapp")
        assert uid != event_uid(self.event())
        assert mail.recipient_email.split("@")[0] not in uid
        assert str(vevent["SUMMARY"]) == parsed.vevent.summary.value == CLEAN_TITLE
        assert raw_value(document, "ORGANIZER") == [ORGANIZER]
        [attendee_line] = [line for line in unfolded(document).split("\r\n") if line.startswith("ATTENDEE")]
        assert attendee_line.endswith(f":mailto:{mail.recipient_email}")
        assert "RSVP=TRUE" not in document.decode()
        assert "NEEDS-ACTION" not in document.decode()
        person = self.people.setdefault(mail.recipient_email, Person(mail.recipient_email, self.caldav))
        earlier = person.sequences.setdefault(uid, [])
        sequence = int(vevent["SEQUENCE"])
        assert all(sequence > before for before in earlier), (uid, earlier, sequence)  # strictly rises per UID
        earlier.append(sequence)
        text = unfolded(document)
        if method == "CANCEL":
            assert str(vevent["STATUS"]) == "CANCELLED"
            assert "PARTSTAT" not in attendee_line
            assert "RSVP" not in attendee_line
            assert "meet.example.org" not in text
            assert "CONFERENCE" not in vevent
        else:
            assert method == "REQUEST"
            assert "PARTSTAT=ACCEPTED" in attendee_line
            assert "RSVP=FALSE" in attendee_line
            self.check_join_link(document, vevent, for_attendee=True)
        person.apply(document)

    def check_join_link(self, document: bytes, vevent: icalendar.Event, *, for_attendee: bool) -> None:
        event = self.event()
        text = unfolded(document)
        if not (for_attendee and event.has_online_part):
            assert "meet.example.org" not in text
            assert "CONFERENCE" not in vevent
            return
        join = event.online_url
        location = str(vevent["LOCATION"])
        assert location == join  # an online event, or online at a hybrid one: the link, not the venue
        assert str(vevent["CONFERENCE"]) == join
        params = vevent["CONFERENCE"].params
        assert (params["VALUE"], params["FEATURE"], params["LABEL"]) == ("URI", "VIDEO", "Join online")
        assert str(vevent["DESCRIPTION"]).startswith(f"Join online: {join}\n\n")
        assert "X-GOOGLE-CONFERENCE" not in text
        assert "X-MICROSOFT" not in text

    def check_public_calendars(self) -> None:
        event = self.event()
        for url in ("/calendar.ics", f"/programmes/{self.programme_slug}.ics", f"/events/{self.event_slug}.ics"):
            response = self.client.get(url)
            assert response.status_code == 200, url
            document = response.get_data()
            assert_clean(document)
            parsed = parse(document)
            assert raw_value(document, "METHOD") == ["PUBLISH"]
            [vevent] = [e for e in parsed.events if str(e["UID"]) == event_uid(event)]
            assert raw_value(document, "ORGANIZER") == [ORGANIZER] * len(parsed.events)
            assert "ATTENDEE" not in vevent
            assert str(vevent["SUMMARY"]) == CLEAN_TITLE
            assert int(vevent["SEQUENCE"]) == event.calendar_sequence
            assert str(vevent["STATUS"]) == ("CANCELLED" if event.is_cancelled else "CONFIRMED")
            assert vevent.decoded("DTSTART") == event.starts_at
            self.check_join_link(document, vevent, for_attendee=False)
        assert event.calendar_sequence >= max(self.feed_sequences, default=0)
        self.feed_sequences.append(event.calendar_sequence)

    def check_personal_file(self, email: str) -> None:
        """/r/<token>/calendar.ics: a person holding an invitation gets that entry (their UID and its
        latest SEQUENCE, with the join link); anyone else the public event."""
        registration = self.registration(email)
        event = self.event()
        response = self.client.get(f"/r/{self.tokens[email]}/calendar.ics")
        if registration.status is RegistrationStatus.CANCELLED and response.status_code == 404:
            return
        document = response.get_data()
        assert_clean(document)
        vevent = parse(document).event
        assert raw_value(document, "METHOD") == ["PUBLISH"]
        assert raw_value(document, "ORGANIZER") == [ORGANIZER]
        assert "ATTENDEE" not in vevent
        uid = str(vevent["UID"])
        own = self.people.get(email, Person(email, self.caldav)).sequences
        if registration.status is RegistrationStatus.CONFIRMED:
            assert uid in own, (uid, own)
            assert int(vevent["SEQUENCE"]) == own[uid][-1]
            self.check_join_link(document, vevent, for_attendee=not event.is_cancelled)
        else:
            assert uid == event_uid(event)
            self.check_join_link(document, vevent, for_attendee=False)


@pytest.fixture
def story(app, client, radicale, create_event, create_programme, create_account, request) -> Story:
    kind = request.param
    programme = create_programme()
    event = create_event(programme=programme, capacity=1, **FORMATS[kind])
    with app.app_context():  # as an old row may hold them: straight into the table, past every form
        db.session.execute(
            update(Event)
            .where(Event.id == event.id)
            .values(title=BAD_TITLE, summary="Kort\x1b sammendrag", description_html="<p>Om\x07 dagen</p>")
        )
        db.session.commit()
    organiser = create_account("arrangor@example.org")
    return Story(app, client, kind, event.id, event.slug, programme.slug, organiser, radicale)


@pytest.mark.parametrize("story", list(FORMATS), indirect=True)
def test_every_invitation_of_a_lifecycle_keeps_the_rules_and_lands_right_in_a_calendar(story):
    asa, bo = "asa@example.org", "bo@example.org"

    # Confirmed: a REQUEST under Åsa's own UID.
    [confirmed] = story.sign_up(asa)
    assert (confirmed.kind, confirmed.calendar_method.value) == ("registration_confirmed", "REQUEST")
    first_uid = str(parse(confirmed.calendar).event["UID"])

    # Waiting list: no calendar yet.
    [waitlisted] = story.sign_up(bo)
    assert (waitlisted.kind, waitlisted.calendar) == ("registration_waitlisted", None)

    # Rescheduled: Åsa's entry moves.
    new_start = story.event().starts_at + timedelta(days=1, hours=2)
    [moved] = story.change(starts_at=new_start, ends_at=new_start + timedelta(hours=2))
    assert (moved.recipient_email, moved.kind) == (asa, "registration_updated")
    assert story.people[asa].stored(first_uid).decoded("DTSTART") == new_start

    # The place or the join link changes: the entry shows the new one.
    [relocated] = story.change(**PLACE_CHANGES[story.kind])
    assert relocated.kind == "registration_updated"
    stored = story.people[asa].stored(first_uid)
    if story.kind == "in_person":
        assert str(stored["LOCATION"]).startswith(PLACE_CHANGES[story.kind]["venue_name"])
    if "online_url" in PLACE_CHANGES[story.kind]:
        assert str(stored["CONFERENCE"]) == NEW_JOIN
        assert NEW_JOIN in str(stored["LOCATION"])

    # Åsa cancels: her entry is cancelled; Bo is promoted and gets his own.
    cancelled, promoted = story.cancel(asa)
    assert (cancelled.recipient_email, cancelled.calendar_method.value) == (asa, "CANCEL")
    assert (promoted.recipient_email, promoted.kind, promoted.calendar_method.value) == (
        bo,
        "registration_promoted",
        "REQUEST",
    )
    assert str(story.people[asa].stored(first_uid)["STATUS"]) == "CANCELLED"
    bo_uid = str(parse(promoted.calendar).event["UID"])
    assert bo_uid != first_uid
    # Åsa's own entry is cancelled while the public event, in the feed she may subscribe to, goes on:
    # two UIDs, two entries in two calendars, each right.
    feed = parse(story.client.get("/calendar.ics").get_data())
    [public] = feed.events
    assert str(public["UID"]) != first_uid
    assert str(public["STATUS"]) == "CONFIRMED"

    # Åsa signs up again (waiting list), Bo cancels, and Åsa is promoted: a new UID, a new entry, and the
    # cancelled one stays cancelled.
    [again] = story.sign_up(asa)
    assert again.calendar is None
    bo_cancelled, asa_promoted = story.cancel(bo)
    assert (bo_cancelled.recipient_email, bo_cancelled.calendar_method.value) == (bo, "CANCEL")
    assert (asa_promoted.recipient_email, asa_promoted.calendar_method.value) == (asa, "REQUEST")
    second_uid = str(parse(asa_promoted.calendar).event["UID"])
    assert second_uid != first_uid
    assert str(story.people[asa].stored(first_uid)["STATUS"]) == "CANCELLED"
    assert str(story.people[asa].stored(second_uid)["STATUS"]) == "CONFIRMED"
    assert story.people[asa].stored(second_uid).decoded("DTSTART") == new_start
    assert str(story.people[bo].stored(bo_uid)["STATUS"]) == "CANCELLED"

    # The event is cancelled: Åsa's current entry is cancelled, and the feeds keep the event, cancelled.
    [event_cancelled] = story.cancel_event()
    assert (event_cancelled.recipient_email, event_cancelled.calendar_method.value) == (asa, "CANCEL")
    assert str(story.people[asa].stored(second_uid)["STATUS"]) == "CANCELLED"
    assert sorted(story.people[asa].objects) == sorted([first_uid, second_uid])


def test_the_invitations_arrive_over_smtp_exactly_as_built(mail_app, smtp_server, create_event):
    event = create_event(capacity=1, **FORMATS["hybrid"])
    with mail_app.app_context():
        services.register(event.id, data("asa@example.org", attendance=ONLINE))
        services.register(event.id, data("bo@example.org", attendance=ONLINE))
        registration = db.session.scalars(select(Registration).where(Registration.email == "asa@example.org")).one()
        services.cancel_registration(registration.id)
        render_drafts()  # as the worker does before sending
        built = {
            (m.recipient_email, m.calendar_method.value): m.calendar
            for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.calendar.is_not(None)))
        }
    drain(mail_app)

    received = {}
    for message in smtp_server.inbox.messages:
        parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
        if parts:
            method = parts[0].get_param("method")
            received[(message["To"].addresses[0].addr_spec, method)] = [p.get_payload(decode=True) for p in parts]
    assert (
        set(received)
        == set(built)
        == {
            ("asa@example.org", "REQUEST"),
            ("asa@example.org", "CANCEL"),
            ("bo@example.org", "REQUEST"),
        }
    )
    for key, documents in received.items():
        assert documents == [built[key]] * len(documents)  # inline and attached, byte for byte
        assert_clean(documents[0])
