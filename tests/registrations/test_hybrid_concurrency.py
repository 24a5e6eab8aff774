"""The issue's proof for hybrid events, for real: 100 people sign up at the same moment against gunicorn
with 4 worker processes on PostgreSQL, 40 asking for a seat on site (10 seats) and 60 for a place online
(50 places). Exactly 10 and 50 are confirmed, the rest wait on their own mode's list, in order; then the
mail worker delivers every mail to a real SMTP server, and each person got the right one: the venue and
no join link on site, the join link and not the venue online, a waiting-list mail with their place on
their own list."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from eventapp.events.enums import EventFormat
from eventapp.extensions import db
from eventapp.mail.worker import Worker
from eventapp.registrations.enums import AttendanceMode, RegistrationStatus
from eventapp.registrations.models import Registration
from tests.conftest import TEST_CONFIG
from tests.registrations.live_server import LiveServer, live_server, tally
from tests.registrations.test_concurrency import assert_sign_ups_redirected, burst, sign_up_form, signer

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

JOIN = "https://meet.example.org/hybrid-100"
VENUE = "Stadshuset\\, sal Öresund\\, Exempelgatan 3\\, 211 20 Malmö"
ON_SITE, ONLINE = AttendanceMode.ON_SITE, AttendanceMode.ONLINE
CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


@pytest.fixture
def server(app, database_url: str, tmp_path) -> Iterator[LiveServer]:
    with live_server(database_url, TEST_CONFIG["SECRET_KEY"], tmp_path / "gunicorn.log", workers=4) as live:
        yield live


def mode_of(n: int) -> AttendanceMode:
    """Person n's choice: the on-site and online people are interleaved, so both race at once."""
    return ON_SITE if n % 5 in (0, 3) else ONLINE  # 40 on site, 60 online


def test_100_at_once_fill_10_on_site_and_50_online_and_each_gets_the_right_mail(
    app, mail_app, smtp_server, server, create_event
):
    event = create_event(format=EventFormat.HYBRID, capacity=10, online_capacity=50, online_url=JOIN,
                         venue_name="Stadshuset, sal Öresund", venue_address="Exempelgatan 3, 211 20 Malmö",
                         city="Malmö")  # fmt: skip
    forms = [lambda t, n=n: {**sign_up_form(t, n), "attendance": mode_of(n).value} for n in range(100)]

    replies = burst(server, [signer(server, event.slug, form) for form in forms])

    assert tally(replies) == {303: 100}
    assert_sign_ups_redirected(replies)
    with app.app_context():
        rows = list(db.session.scalars(select(Registration).where(Registration.event_id == event.id).order_by("id")))
        db.session.expunge_all()
    assert len(rows) == 100
    assert all(r.attendance is mode_of(int(r.email[6:].split("@")[0])) for r in rows), "a mode was mixed up"
    by = {(mode, status): [r for r in rows if r.attendance is mode and r.status is status]
          for mode in AttendanceMode for status in (CONFIRMED, WAITLISTED)}  # fmt: skip
    expected = {(ON_SITE, CONFIRMED): 10, (ON_SITE, WAITLISTED): 30, (ONLINE, CONFIRMED): 50, (ONLINE, WAITLISTED): 10}
    assert {key: len(found) for key, found in by.items()} == expected
    for mode in AttendanceMode:  # each list is in commit order: every seat of the mode went before its queue
        assert max(r.id for r in by[mode, CONFIRMED]) < min(r.id for r in by[mode, WAITLISTED])

    for _round in range(10):  # the real worker, to the real SMTP server
        with mail_app.app_context():
            Worker(batch_size=50).run(once=True)
        if len(smtp_server.inbox.messages) >= 100:
            break
    mails = {str(m["To"].addresses[0].addr_spec): m for m in smtp_server.inbox.messages}
    assert len(smtp_server.inbox.messages) == 100
    assert len(mails) == 100

    def parts(message) -> tuple[str, bytes | None]:
        text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_content()
        calendar = next((p for p in message.walk() if p.get_content_type() == "text/calendar"), None)
        return text, (calendar.get_payload(decode=True) if calendar is not None else None)

    for r in by[ON_SITE, CONFIRMED]:
        text, calendar = parts(mails[r.email])
        assert calendar is not None, r.email
        assert b"METHOD:REQUEST" in calendar
        assert JOIN not in text
        assert JOIN.encode() not in calendar
        assert f"LOCATION:{VENUE}".encode() in calendar.replace(b"\r\n ", b"")
        assert "Where: Stadshuset, sal Öresund, Exempelgatan 3, 211 20 Malmö" in text
    for r in by[ONLINE, CONFIRMED]:
        text, calendar = parts(mails[r.email])
        assert calendar is not None, r.email
        assert f"LOCATION:{JOIN}".encode() in calendar
        assert f"Join online: {JOIN}" in text
        assert "Where: Online" in text
    for mode in AttendanceMode:
        positions = []
        for r in by[mode, WAITLISTED]:
            text, calendar = parts(mails[r.email])
            assert calendar is None, r.email
            assert JOIN not in text
            match = re.search(r"on the waiting list, number (\d+)", text)
            assert match, text
            positions.append(int(match.group(1)))
        assert positions == list(range(1, len(by[mode, WAITLISTED]) + 1)), f"{mode}: {positions}"
