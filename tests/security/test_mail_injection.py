"""Mail header and body injection (issue 11 item 1), on the raw bytes the real worker hands a real SMTP server.

Hostile text is put straight into the database, as an old row (from before the forms refused it) could
hold it, then every kind of mail is built by its real builder, enqueued, and sent by the real worker. A
mail whose header would carry the text is not built: the worker marks it failed with the reason and
sends nothing; every other mail goes out with exactly its own headers and its one recipient.
"""

from __future__ import annotations

import base64
import email
import quopri
import re
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.policy import default as default_policy

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from eventapp.accounts import messages as account_messages
from eventapp.accounts.models import User
from eventapp.controlchars import first_forbidden
from eventapp.db import utcnow
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import ClaimedMail, enqueue
from eventapp.mail.transport import UnsafeHeader, build_mime
from eventapp.mailings import messages as mailing_messages
from eventapp.materials import messages as material_messages
from eventapp.materials.queries import MaterialsSection
from eventapp.registrations import messages
from eventapp.registrations import services as registration_services
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration
from eventapp.speakers import messages as speaker_messages
from eventapp.speakers.models import Speaker
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data

INJECTION = "Eve\r\nBcc: x@evil.example\r\nX-Injected: yes"
HOSTILE = [
    INJECTION,
    "Eve\r\n\r\n<h1>Your account is locked</h1><a href=https://evil.example>Sign in</a>",  # body break-in
    "Eve\nBcc: x@evil.example",
    "Eve\rBcc: x@evil.example",
    "Eve\x07\x1b[2J",
    "Eve\x85X-Injected: yes",
    "Eve\u2028X-Injected: yes",
]
#: The header names of every mail the worker sends, and nothing else.
HEADERS = {"From", "To", "Subject", "Message-ID", "Date", "Auto-Submitted", "MIME-Version", "Content-Type"}
#: Kinds of mail, the person they go to, and whether the event's title is in their subject.
KINDS = {
    "registration_confirmed": ("registration", True),
    "registration_waitlisted": ("registration", True),
    "registration_offer": ("registration", True),
    "registration_promoted": ("registration", True),
    "registration_reminder_day": ("registration", True),
    "registration_cancelled": ("registration", True),
    "registration_event_cancelled": ("registration", True),
    "mailing": ("registration", False),
    "materials_followup": ("registration", True),
    "speaker_invitation": ("speaker", True),
    "speaker_reminder": ("speaker", True),
    "account_welcome": ("user", False),
    "password_reset": ("user", False),
}


@pytest.fixture
def people(app, create_event):
    """An event with one confirmed registration, one speaker and one organiser account, all ordinary."""
    event = create_event(title="Innovative anskaffelser", starts_at=utcnow() + timedelta(days=1))
    with app.app_context():
        registration = Registration(
            event_id=event.id, status=RegistrationStatus.CONFIRMED, name="Åse Berg", email="ase@example.org",
            organisation="Bergen kommune", organisation_type=OrganisationType.MUNICIPALITY, country="NO",
            organisation_key="bergen kommune", locale="nb", privacy_accepted_at=utcnow(),
        )  # fmt: skip
        speaker = Speaker(event_id=event.id, name="Pekka Virtanen", email="pekka@example.org", locale="fi")
        user = User(email="org@example.org", name="Olav Organiser", password_hash="x")
        db.session.add_all([registration, speaker, user])
        db.session.commit()
        return {"event": event.id, "registration": registration.id, "speaker": speaker.id, "user": user.id}


def build_every_kind(ids: dict[str, int], *, mailing_subject: str) -> dict[str, int]:
    """Every kind of mail, built by its real builder from the rows as they are now, and enqueued in one
    transaction; returns the outbox row id of each kind."""
    registration = db.session.get(Registration, ids["registration"])
    speaker = db.session.get(Speaker, ids["speaker"])
    user = db.session.get(User, ids["user"])
    now, link = utcnow(), "http://eventapp.test/x"
    mails = {
        f"registration_{reason}": messages.registration_mail(
            registration, reason, token="t", now=now, withdraw_calendar=reason.endswith("cancelled")
        )
        for reason in ("confirmed", "waitlisted", "offer", "promoted", "reminder_day", "cancelled", "event_cancelled")
    }
    mails["mailing"] = mailing_messages.organiser_message(
        registration, subject=mailing_subject, body="Hei!", manage_url=link
    )
    mails["materials_followup"] = material_messages.materials_followup(registration, MaterialsSection(), token="t")
    expires = now + timedelta(days=30)
    mails["speaker_invitation"] = speaker_messages.speaker_invitation(
        speaker, [], token="t", expires_at=expires, sent_by=user
    )
    mails["speaker_reminder"] = speaker_messages.speaker_reminder(speaker, [], token="t", expires_at=expires, now=now)
    mails["account_welcome"] = account_messages.account_welcome(
        user, link, locale="nb", sent_by=user, first_time=True, valid_hours=48
    )
    mails["password_reset"] = account_messages.password_reset(user, link, locale="nb")
    assert set(mails) == set(KINDS)
    rows = {kind: enqueue(mail) for kind, mail in mails.items()}
    db.session.commit()
    return {kind: row.id for kind, row in rows.items()}


def outcome(app) -> dict[int, OutboxMessage]:
    with app.app_context():
        found = {row.id: row for row in db.session.scalars(select(OutboxMessage))}
        db.session.expunge_all()
        return found


#: The MIME layouts a mail may have (ARCHITECTURE.md): without, and with a calendar.
LAYOUTS = (
    ["multipart/alternative", "text/plain", "text/html"],
    ["multipart/mixed", "multipart/alternative", "text/plain", "text/html", "text/calendar", "application/ics"],
)
PART_HEADERS = {"Content-Type", "Content-Transfer-Encoding", "Content-Disposition"}


def assert_only_safe_mail_went_out(smtp_server) -> None:
    """On the raw bytes: each message has exactly our headers, once each, to its one recipient, and exactly
    our MIME parts with only their own headers. Hostile text may only appear as text inside a body part
    (a name in "Hello ..."), encoded there, and never as markup in the HTML part."""
    for raw, (_sender, recipients) in zip(smtp_server.inbox.raw, smtp_server.inbox.envelopes, strict=True):
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert b"X-Injected" not in head
        assert b"evil.example" not in head
        names = [line.split(b":", 1)[0].decode() for line in head.split(b"\r\n") if not line[:1].isspace()]
        assert sorted(names) == sorted(HEADERS), names
        assert all(len(line) <= 998 and b"\r" not in line and b"\n" not in line for line in raw.split(b"\r\n"))
        assert len(recipients) == 1
        message = email.message_from_bytes(raw, policy=default_policy)
        assert message.defects == []
        assert [a.addr_spec for a in message["To"].addresses] == recipients
        parts = list(message.walk())
        assert [part.get_content_type() for part in parts] in LAYOUTS
        for part in parts[1:]:
            assert set(part.keys()) <= PART_HEADERS, part.keys()
        html = message.get_body(("html",)).get_content()
        assert "<h1>Your account" not in html
        assert "<a href=https://evil.example" not in html


@pytest.mark.parametrize("value", HOSTILE, ids=repr)
@pytest.mark.parametrize("where", ["registration name", "speaker name", "account name", "event title",
                                   "mailing subject"])  # fmt: skip
def test_hostile_text_in_the_database_never_reaches_a_header(mail_app, smtp_server, people, where, value):
    with mail_app.app_context():
        row = {"registration name": (Registration, people["registration"]),
               "speaker name": (Speaker, people["speaker"]), "account name": (User, people["user"]),
               "event title": (Event, people["event"])}.get(where)  # fmt: skip
        if row is not None:
            setattr(db.session.get(*row), "title" if where == "event title" else "name", value)
            db.session.commit()
        ids = build_every_kind(people, mailing_subject=value if where == "mailing subject" else "Velkommen")

    drain(mail_app)

    rows = outcome(mail_app)
    reaches_header = {
        kind: (where == f"{person} name".replace("user", "account"))
        or (where == "event title" and title_in_subject)
        or (where == "mailing subject" and kind == "mailing")
        for kind, (person, title_in_subject) in KINDS.items()
    }
    for kind, row_id in ids.items():
        row = rows[row_id]
        if reaches_header[kind]:
            assert row.status is OutboxStatus.FAILED, kind
            assert "control character U+" in row.last_error
            assert "the mail was not built" in row.last_error
            assert row.attempts == 1  # refused for good at once, not retried
        else:
            assert row.status is OutboxStatus.SENT, (kind, row.last_error)
    sent = sum(not failing for failing in reaches_header.values())
    assert len(smtp_server.inbox.raw) == sent
    assert_only_safe_mail_went_out(smtp_server)


# --- the MIME builder itself ------------------------------------------------------------------------------


def claimed(**overrides) -> ClaimedMail:
    values = {
        "id": 1, "message_id": "<abc@example.org>", "recipient_email": "ase@example.org", "recipient_name": "Åse Berg",
        "sender": "Innovasjonsprogrammet <noreply@example.org>", "subject": "Påmelding", "body_text": "Hei",
        "body_html": "<p>Hei</p>", "calendar": None, "calendar_method": None, "attempts": 1,
        "created_at": datetime(2030, 1, 1, tzinfo=UTC),
    }  # fmt: skip
    values.update(overrides)
    return ClaimedMail(**values)


@pytest.mark.parametrize("character", ["\r", "\n", "\r\n", "\x00", "\x07", "\t", "\x1b", "\x7f", "\x85", "\u2028",
                                       "\u2029", "\u202e"], ids=repr)  # fmt: skip
@pytest.mark.parametrize("field", ["recipient_name", "recipient_email", "subject", "sender", "message_id"])
def test_the_builder_refuses_a_control_character_in_any_header_value(field, character):
    value = getattr(claimed(), field)
    hostile = value.replace("@", f"{character}@") if "@" in value else f"{value}{character}X-Injected: yes"

    with pytest.raises(UnsafeHeader, match=r"control character U\+[0-9A-F]{4}"):
        build_mime(claimed(**{field: hostile}))


def test_body_text_with_bare_line_breaks_and_control_characters_stays_inside_its_part():
    raw = build_mime(claimed(body_text="Hei\r\n\r\n--fake-boundary\rX-Injected: yes\n.\r\nQUIT\x07\x00"))

    assert all(b"\r" not in line and b"\n" not in line for line in raw.split(b"\r\n"))
    message = email.message_from_bytes(raw, policy=default_policy)
    assert [part.get_content_type() for part in message.walk()] == LAYOUTS[0]
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == "Hei\n\n--fake-boundary\nX-Injected: yes\n.\nQUIT\x07\x00"  # text, quoted-printable encoded
    assert b"\x07" not in raw
    assert b"\x00" not in raw


LONG_SUBJECTS = [
    "Påmelding bekreftet: Innovative anskaffelser i kommunene – hvordan lykkes vi med bærekraft, sirkulærøkonomi "
    "og klimakrav i praksis? Æ Ø Å æ ø å",
    "Ilmoittautuminen vahvistettu: Hyvinvointialueiden innovatiiviset hankinnat ja kestävä kehitys – mitä "
    "päättäjien pitää tietää ennen kilpailutusta? ä ö å Ä Ö",
    "🎉 Velkommen! 🎉 Innovasjonsdagen 2030 🌍♻️ – bærekraftige anskaffelser i Norden 🇳🇴🇸🇪🇩🇰🇫🇮🇮🇸 – vi gleder oss 😀😀😀",
    "æ" * 40,
    "ä" * 41,
    "😀" * 13,
    "x" * 60 + "ø",
]
ENCODED_WORD = re.compile(rb"=\?[^?]+\?[bBqQ]\?[^?]*\?=")


@pytest.mark.parametrize("text", LONG_SUBJECTS, ids=lambda t: f"{t[:12]}…{len(t)}")
def test_encoded_words_are_at_most_75_characters_and_their_lines_at_most_76(text):
    """RFC 2047 section 2, on the raw bytes, for the subject and for a name in To."""
    for cut in range(max(1, len(text) - 25), len(text) + 1):  # every length near the end: the split points move
        raw = build_mime(claimed(subject=text[:cut], recipient_name=text[:cut][:200]))
        head = raw.split(b"\r\n\r\n", 1)[0]
        assert head.isascii()
        words = ENCODED_WORD.findall(head)
        assert words or text[:cut].isascii()
        assert all(len(word) <= 75 for word in words), words
        assert all(len(line) <= 76 for line in head.split(b"\r\n") if ENCODED_WORD.search(line))
        message = email.message_from_bytes(raw, policy=default_policy)
        assert message["Subject"] == text[:cut]
        # The standard library's address parser keeps the folding space between encoded words of a long
        # display name (RFC 2047 section 6.2 says to drop it); its RFC 2047 decoder gets it right.
        legacy = email.message_from_bytes(raw)
        assert str(make_header(decode_header(legacy["To"]))) == f"{text[:cut][:200]} <ase@example.org>"


NORDIC_CHARACTERS = [
    *"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ,.:;?!()-–«»/_=\"'",
    *"æøåäöÆØÅÄÖáčđŋšŧžÁČĐŊŠŦŽõüÕÜéÉ€😀🇳🇴\u0301",
]
NORDIC = st.text(st.sampled_from(NORDIC_CHARACTERS), min_size=1, max_size=160)
ANY = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=160)
SINGLE_ENCODED_WORD = re.compile(rb"=\?utf-8\?([bq])\?([^?]*)\?=")


@settings(max_examples=500, deadline=None)
@given(text=st.one_of(NORDIC, ANY).filter(lambda t: first_forbidden(t) is None and t.strip() == t and "  " not in t))
def test_any_subject_and_name_travel_as_encoded_words_a_reader_decodes_to_the_same_text(text):
    """The hand-written RFC 2047 encoder (``transport._encoded_words``) on any text the forms let through:
    Nordic and Sámi letters, Finnish, emoji and flags, CJK, combining marks, words that end where a split
    falls. Every word holds whole characters (it decodes alone, as section 5 requires), every word and
    line keeps to section 2's lengths, and a reader decodes exactly the text."""
    raw = build_mime(claimed(subject=text, recipient_name=text))
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert head.isascii()
    assert all(len(word) <= 75 for word in ENCODED_WORD.findall(head))
    assert all(len(line) <= 76 for line in head.split(b"\r\n") if ENCODED_WORD.search(line))
    for encoding, payload in SINGLE_ENCODED_WORD.findall(head):
        octets = base64.b64decode(payload) if encoding == b"b" else quopri.decodestring(payload, header=True)
        octets.decode("utf-8")  # strict: a word never ends inside a character
    legacy = email.message_from_bytes(raw)
    if not text.isascii():
        assert str(make_header(decode_header(legacy["Subject"]))) == text
        assert str(make_header(decode_header(legacy["To"]))) == f"{text} <ase@example.org>"


def test_ascii_names_with_specials_are_quoted_not_split():
    raw = build_mime(claimed(recipient_name='Berg, Åse "Bergen" (kommune)'.replace("Å", "A")))

    message = email.message_from_bytes(raw, policy=default_policy)
    assert message["To"].addresses[0].display_name == 'Berg, Ase "Bergen" (kommune)'
    assert len(message["To"].addresses) == 1


def test_an_old_row_with_a_hostile_name_fails_visibly_in_the_mailing_it_was_part_of(
    mail_app, smtp_server, client, create_event, create_account, log_in
):
    """The organiser sees which mail was not sent and why, next to the person, on the mailing's page."""
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    event = create_event(created_by_id=owner.id)
    with mail_app.app_context():
        anna = registration_services.register(event.id, data("anna@example.org", name="Anna Berg")).registration_id
        registration_services.register(event.id, data("bo@example.org", name="Bo Lind"))
        db.session.get(Registration, anna).name = INJECTION  # as a row from before the forms refused it
        db.session.commit()
    drain(mail_app)
    smtp_server.inbox.raw.clear()
    smtp_server.inbox.envelopes.clear()
    url = f"/manage/events/{event.id}/messages/new"
    token = csrf_token(client.get(url).get_data(as_text=True))

    response = client.post(url, data={"statuses": ["confirmed"], "attendance": "any", "subject": "Praktisk info",
                                      "body": "Vi møtes i 2. etasje.", "expected": "2", "send": "1",
                                      "csrf_token": token})  # fmt: skip
    drain(mail_app)

    assert response.status_code == 303
    assert [recipients for _, recipients in smtp_server.inbox.envelopes] == [["bo@example.org"]]
    assert_only_safe_mail_went_out(smtp_server)
    page = text_of(client.get(response.headers["Location"].split("?")[0]).get_data(as_text=True))
    assert "Could not be delivered" in page
    assert "Eve Bcc: x@evil.example X-Injected: yes <anna@example.org>: the To header would carry the control " \
           "character U+000D; the mail was not built" in page  # fmt: skip
