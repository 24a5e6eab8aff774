"""Hybrid events: on site and online each have their own seats and their own waiting list; the person's
mode decides what they are sent (the venue, or the join link); switching goes through the event's lock."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.errors import NotAllowed, RegistrationClosed, ValidationFailed
from eventapp.events.enums import EventFormat
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import queries, services
from eventapp.registrations.enums import AttendanceMode, RegistrationStatus, WaitlistMode
from eventapp.registrations.models import Registration
from tests.drafts import render_drafts
from tests.registrations.test_rules import data

S = RegistrationStatus
ON_SITE, ONLINE = AttendanceMode.ON_SITE, AttendanceMode.ONLINE
JOIN = "https://meet.example.org/hybrid-room"


@pytest.fixture
def hybrid(create_event):
    def _create(on_site: int | None = 2, online: int | None = 3, **overrides):
        values = {"format": EventFormat.HYBRID, "capacity": on_site, "online_capacity": online,
                  "venue_name": "Stadshuset, sal Öresund", "venue_address": "Exempelgatan 3, 211 20 Malmö",
                  "city": "Malmö", "online_url": JOIN}  # fmt: skip
        return create_event(**{**values, **overrides})

    return _create


@pytest.fixture
def owner(create_account):
    return create_account("owner@example.org", Role.ADMIN)


def sign(app, event, email: str, mode: AttendanceMode | None) -> services.SignUpResult:
    with app.app_context():
        return services.register(event.id, data(email, attendance=mode))


def people(app, event_id: int) -> list[tuple[str, AttendanceMode | None, S]]:
    with app.app_context():
        rows = db.session.scalars(select(Registration).where(Registration.event_id == event_id).order_by("id"))
        return [(r.email.split("@")[0], r.attendance, r.status) for r in rows]


def mails_to(app, email: str) -> list[OutboxMessage]:
    """The mails to ``email``, rendered as the mail worker renders them before sending."""
    with app.app_context():
        render_drafts()
        found = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_email == email)
                                        .order_by(OutboxMessage.id)))  # fmt: skip
        db.session.expunge_all()
        return found


def test_each_mode_fills_its_own_seats_then_its_own_waiting_list(app, hybrid):
    event = hybrid(on_site=2, online=3)
    modes = [ON_SITE, ON_SITE, ON_SITE, ONLINE, ONLINE, ONLINE, ONLINE]
    results = [sign(app, event, f"p{i}@example.org", mode) for i, mode in enumerate(modes)]

    assert [r.status for r in results] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED,
                                           S.CONFIRMED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]  # fmt: skip
    with app.app_context():
        counts = queries.seat_counts(event.id)
        assert (counts.of(ON_SITE).confirmed, counts.of(ON_SITE).waitlisted) == (2, 1)
        assert (counts.of(ONLINE).confirmed, counts.of(ONLINE).waitlisted) == (3, 1)
        situation = queries.situation(db.session.get(type(event), event.id), counts)
        assert [(m.mode, m.seats_left, m.state.value) for m in situation.modes] == [
            (ON_SITE, 0, "waitlist"), (ONLINE, 0, "waitlist")]  # fmt: skip
        registration = db.session.get(Registration, results[2].registration_id)
        assert queries.waitlist_position(registration) == 1  # first on the on-site list, not third overall


def test_a_hybrid_sign_up_must_choose_a_mode_and_other_events_keep_none(app, hybrid, create_event):
    event = hybrid()
    with pytest.raises(ValidationFailed) as refused, app.app_context():
        services.register(event.id, data("undecided@example.org"))
    assert refused.value.field == "attendance"
    plain = create_event(capacity=1)
    sign(app, plain, "a@example.org", ONLINE)  # a mode sent to a non-hybrid event is ignored
    sign(app, plain, "b@example.org", None)
    assert people(app, plain.id) == [("a", None, S.CONFIRMED), ("b", None, S.WAITLISTED)]
    with app.app_context():
        counts = queries.seat_counts(plain.id)
    assert (counts.confirmed, counts.waitlisted, counts.online_confirmed) == (1, 1, 0)


def test_a_full_mode_without_waiting_list_is_refused_on_the_field_while_the_other_has_room(app, hybrid):
    event = hybrid(on_site=1, online=None, waitlist_enabled=False)
    sign(app, event, "first@example.org", ON_SITE)
    with pytest.raises(ValidationFailed) as refused, app.app_context():
        services.register(event.id, data("second@example.org", attendance=ON_SITE))
    assert refused.value.field == "attendance"
    assert "on site" in str(refused.value.message)
    assert sign(app, event, "second@example.org", ONLINE).status is S.CONFIRMED  # online has no limit


def test_a_freed_on_site_seat_goes_to_the_first_on_site_person_waiting_never_to_an_online_one(app, hybrid):
    event = hybrid(on_site=1, online=1)
    seat = sign(app, event, "seat@example.org", ON_SITE)
    sign(app, event, "online1@example.org", ONLINE)
    sign(app, event, "online2@example.org", ONLINE)  # waiting online, ahead of the next on-site person
    sign(app, event, "site2@example.org", ON_SITE)  # waiting on site

    with app.app_context():
        moved = services.cancel_registration(seat.registration_id)
        assert [r.email for r in moved] == ["site2@example.org"]

    assert people(app, event.id) == [("seat", ON_SITE, S.CANCELLED), ("online1", ONLINE, S.CONFIRMED),
                                     ("online2", ONLINE, S.WAITLISTED), ("site2", ON_SITE, S.CONFIRMED)]  # fmt: skip
    assert [m.kind for m in mails_to(app, "site2@example.org")] == ["registration_waitlisted", "registration_promoted"]


def test_offer_mode_offers_the_freed_online_place_to_the_first_online_person_waiting(app, hybrid):
    event = hybrid(on_site=1, online=1, waitlist_mode=WaitlistMode.OFFER)
    sign(app, event, "site@example.org", ON_SITE)
    online = sign(app, event, "online@example.org", ONLINE)
    sign(app, event, "site2@example.org", ON_SITE)
    sign(app, event, "online2@example.org", ONLINE)

    with app.app_context():
        moved = services.cancel_registration(online.registration_id)
        assert [(r.email, r.has_offer) for r in moved] == [("online2@example.org", True)]
    assert [m.kind for m in mails_to(app, "online2@example.org")][-1] == "registration_offer"
    assert [m.kind for m in mails_to(app, "site2@example.org")] == ["registration_waitlisted"]


def test_on_site_gets_the_venue_and_no_join_link_online_gets_the_link_and_not_the_venue(app, hybrid):
    event = hybrid()
    sign(app, event, "site@example.org", ON_SITE)
    sign(app, event, "online@example.org", ONLINE)

    [site] = mails_to(app, "site@example.org")
    assert JOIN not in site.body_text
    assert JOIN not in site.body_html
    assert JOIN.encode() not in site.calendar
    assert "Where: Stadshuset, sal Öresund, Exempelgatan 3, 211 20 Malmö" in site.body_text
    assert "and online" not in site.body_text
    assert b"LOCATION:Stadshuset\\, sal \xc3\x96resund\\, Exempelgatan 3\\, 211 20 Malm\xc3\xb6" in site.calendar
    assert b"CONFERENCE" not in site.calendar
    [online] = mails_to(app, "online@example.org")
    assert f"Join online: {JOIN}" in online.body_text
    assert "Where: Online" in online.body_text
    assert "Exempelgatan" not in online.body_text
    assert f"LOCATION:{JOIN}".encode() in online.calendar
    assert b"Exempelgatan" not in online.calendar.split(b"DESCRIPTION")[0]


def test_switching_moves_the_seat_sends_an_updated_invitation_and_gives_the_old_seat_to_its_own_list(app, hybrid):
    event = hybrid(on_site=1, online=2)
    site = sign(app, event, "site@example.org", ON_SITE)
    sign(app, event, "waiting@example.org", ON_SITE)
    sign(app, event, "online@example.org", ONLINE)

    with app.app_context():
        moved = services.switch_attendance(site.registration_id, to=ONLINE)
        assert [r.email for r in moved] == ["waiting@example.org"]
        switched = db.session.get(Registration, site.registration_id)
        assert switched.sees_join_link
        assert not switched.attends_in_person
        counts = queries.seat_counts(event.id)
        assert (counts.of(ON_SITE).confirmed, counts.of(ONLINE).confirmed, counts.waitlisted) == (1, 2, 0)

    first, update = mails_to(app, "site@example.org")
    assert update.kind == "registration_attendance_changed"
    assert update.subject == f"You now take part online: {event.title}"
    assert b"SEQUENCE:1" in update.calendar
    assert b"SEQUENCE:0" in first.calendar
    assert f"LOCATION:{JOIN}".encode() in update.calendar
    assert [m.kind for m in mails_to(app, "waiting@example.org")][-1] == "registration_promoted"


def test_switching_into_a_full_mode_says_so_and_changes_nothing(app, hybrid):
    event = hybrid(on_site=1, online=1)
    sign(app, event, "online@example.org", ONLINE)
    site = sign(app, event, "site@example.org", ON_SITE)

    with pytest.raises(NotAllowed) as refused, app.app_context():
        services.switch_attendance(site.registration_id, to=ONLINE)

    assert "no free online place" in str(refused.value.message)
    assert people(app, event.id) == [("online", ONLINE, S.CONFIRMED), ("site", ON_SITE, S.CONFIRMED)]
    assert len(mails_to(app, "site@example.org")) == 1


def test_someone_waiting_who_switches_to_a_mode_with_a_free_seat_takes_it(app, hybrid):
    event = hybrid(on_site=1, online=5)
    sign(app, event, "site@example.org", ON_SITE)
    waiting = sign(app, event, "waiting@example.org", ON_SITE)

    with app.app_context():
        services.switch_attendance(waiting.registration_id, to=ONLINE)

    assert people(app, event.id)[1] == ("waiting", ONLINE, S.CONFIRMED)
    assert [m.kind for m in mails_to(app, "waiting@example.org")] == [
        "registration_waitlisted", "registration_attendance_changed"]  # fmt: skip


def test_an_organiser_switches_a_person_and_the_change_log_says_so(app, hybrid, owner):
    event = hybrid(on_site=2, online=2)
    site = sign(app, event, "site@example.org", ON_SITE)

    with app.app_context():
        services.switch_attendance(site.registration_id, to=ONLINE, actor=db.session.get(User, owner.id))
        from eventapp.manage.audit_queries import audit_log

        lines = [line.text for line in audit_log(event.id)]
    assert lines[0].endswith(": switched to Online by Owner (Confirmed)")


def test_a_non_hybrid_event_cannot_be_switched(app, create_event):
    event = create_event(capacity=5)
    result = sign(app, event, "a@example.org", None)
    with pytest.raises(NotAllowed), app.app_context():
        services.switch_attendance(result.registration_id, to=ONLINE)


def test_raising_the_online_places_promotes_the_online_list_only(app, hybrid, owner):
    from eventapp.events import services as event_services
    from eventapp.manage.forms import EventForm

    event = hybrid(on_site=1, online=1)
    for email, mode in (("s1", ON_SITE), ("s2", ON_SITE), ("o1", ONLINE), ("o2", ONLINE)):
        sign(app, event, f"{email}@example.org", mode)
    with app.test_request_context():
        loaded = db.session.get(type(event), event.id)
        form = EventForm.for_event(loaded, [])
        form.online_capacity.data = 2
        event_services.update_event(
            event.id, form.to_data(), actor=db.session.get(User, owner.id), tell_attendees=False
        )

    assert [p[2] for p in people(app, event.id)] == [S.CONFIRMED, S.WAITLISTED, S.CONFIRMED, S.CONFIRMED]


def test_a_closed_hybrid_event_refuses_either_mode(app, hybrid):
    from datetime import timedelta

    from eventapp.db import utcnow

    event = hybrid(registration_closes_at=utcnow() - timedelta(hours=1), registration_opens_at=None)
    with pytest.raises(RegistrationClosed), app.app_context():
        services.register(event.id, data("late@example.org", attendance=ONLINE))
