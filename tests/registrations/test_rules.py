"""The registration rules, each as its own test, through the services the views and worker call."""

from __future__ import annotations

from datetime import timedelta

import pytest

from eventapp.db import utcnow
from eventapp.errors import NotAllowed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mail.worker import Worker
from eventapp.registrations import chores, services
from eventapp.registrations.enums import OrganisationType, RegistrationStatus, WaitlistMode
from eventapp.registrations.models import Registration
from tests.drafts import render_drafts

S = RegistrationStatus


def data(email: str, **overrides) -> services.RegistrationData:
    values = {
        "name": email.split("@")[0].title(),
        "email": email,
        "organisation": f"Organisation of {email}",
        "organisation_type": OrganisationType.MUNICIPALITY,
        "country": "NO",
        "accept_privacy": True,
        "locale": "en",
    }
    values.update(overrides)
    return services.RegistrationData(**values)


@pytest.fixture
def signed_up(app):
    """``signed_up(event, n)``: n people signed up through the service, in order; returns their ids."""

    def _sign(event: Event, count: int, prefix: str = "p") -> list[int]:
        with app.app_context():
            return [services.register(event.id, data(f"{prefix}{i}@example.org")).registration_id for i in range(count)]

    return _sign


def statuses(app, event_id: int) -> list[S]:
    with app.app_context():
        return list(db.session.scalars(db.select(Registration.status).where(Registration.event_id == event_id)
                                       .order_by(Registration.id)))  # fmt: skip


def kinds_to(app, email: str) -> list[str]:
    from eventapp.mail.models import OutboxMessage

    with app.app_context():
        return list(db.session.scalars(db.select(OutboxMessage.kind).where(OutboxMessage.recipient_email == email)
                                       .order_by(OutboxMessage.id)))  # fmt: skip


def test_only_allowed_transitions_happen(app, create_event, signed_up):
    event = create_event()
    [rid] = signed_up(event, 1)
    with app.app_context():
        registration = db.session.get(Registration, rid)
        services.transition(registration, S.CANCELLED, now=utcnow())
        with pytest.raises(NotAllowed):
            services.transition(registration, S.CONFIRMED, now=utcnow())


def test_unlimited_capacity_confirms_everyone(app, create_event, signed_up):
    event = create_event(capacity=None)
    signed_up(event, 30)
    assert statuses(app, event.id) == [S.CONFIRMED] * 30


def test_capacity_then_waiting_list_in_order(app, create_event, signed_up):
    event = create_event(capacity=2)
    signed_up(event, 4)
    assert statuses(app, event.id) == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]


def test_approving_takes_a_seat_by_the_same_rules(app, create_event, signed_up):
    event = create_event(capacity=1, requires_approval=True)
    first, second = signed_up(event, 2)
    assert statuses(app, event.id) == [S.PENDING, S.PENDING]

    with app.app_context():
        assert services.approve(first) is S.CONFIRMED
        assert services.approve(second) is S.WAITLISTED  # no seat left: the waiting list
        with pytest.raises(NotAllowed):
            services.approve(second)

    assert kinds_to(app, "p0@example.org") == ["registration_pending", "registration_approved"]
    assert kinds_to(app, "p1@example.org") == ["registration_pending", "registration_waitlisted"]


def test_rejecting_a_confirmed_person_frees_the_seat_with_the_message(app, create_event, signed_up):
    event = create_event(capacity=1)
    first, _second = signed_up(event, 2)

    with app.app_context():
        services.reject(first, note="Only one person per municipality this time.")
        from eventapp.mail.models import OutboxMessage

        render_drafts()  # as the worker does before sending

        rejected = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "registration_rejected")
        ).one()

    assert statuses(app, event.id) == [S.REJECTED, S.CONFIRMED]
    assert "Only one person per municipality this time." in rejected.body_text
    assert rejected.calendar_method.value == "CANCEL"


def test_raising_the_capacity_promotes_the_first_waiting(app, create_event, signed_up):
    event = create_event(capacity=1)
    signed_up(event, 4)
    with app.app_context():
        db.session.get(Event, event.id).capacity = 3
        db.session.commit()
        moved = services.capacity_changed(event.id)
        assert [r.email for r in moved] == ["p1@example.org", "p2@example.org"]

    assert statuses(app, event.id) == [S.CONFIRMED, S.CONFIRMED, S.CONFIRMED, S.WAITLISTED]
    assert kinds_to(app, "p1@example.org") == ["registration_waitlisted", "registration_promoted"]


def test_offer_mode_offers_the_seat_with_a_deadline_and_moves_on_when_it_passes(app, create_event, signed_up):
    event = create_event(
        capacity=1, waitlist_mode=WaitlistMode.OFFER, offer_hours=48, starts_at=utcnow() + timedelta(days=10)
    )
    first, second, third = signed_up(event, 3)

    with app.app_context():
        services.cancel_registration(first)
        offered = db.session.get(Registration, second)
        assert offered.status is S.WAITLISTED
        assert offered.has_offer
        assert abs(offered.offer_expires_at - (utcnow() + timedelta(hours=48))) < timedelta(minutes=1)
        from eventapp.mail.models import OutboxMessage

        render_drafts()  # as the worker does before sending

        offer = db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "registration_offer")).one()
        assert "Accept it before" in offer.body_text
        assert "/r/" in offer.body_text
        # A newcomer does not take the seat being offered.
        assert services.register(event.id, data("late@example.org")).status is S.WAITLISTED

        lapsed = chores.expire_offers(now=utcnow() + timedelta(hours=49))

    assert lapsed == 1
    assert statuses(app, event.id) == [S.CANCELLED, S.CANCELLED, S.WAITLISTED, S.WAITLISTED]
    assert kinds_to(app, "p1@example.org")[-1] == "registration_offer_expired"
    with app.app_context():
        assert db.session.get(Registration, third).offer_expires_at is not None  # the next one is offered


def test_accepting_an_offer_confirms_and_sends_the_invitation(app, create_event, signed_up):
    event = create_event(capacity=1, waitlist_mode=WaitlistMode.OFFER)
    first, second = signed_up(event, 2)
    with app.app_context():
        services.cancel_registration(first)
        services.accept_offer(second)
        with pytest.raises(NotAllowed):
            services.accept_offer(second)

    assert statuses(app, event.id) == [S.CANCELLED, S.CONFIRMED]
    assert kinds_to(app, "p1@example.org") == [
        "registration_waitlisted",
        "registration_offer",
        "registration_confirmed",
    ]


def test_reminders_go_out_a_day_and_an_hour_before_each_exactly_once(app, create_event, signed_up):
    starts = utcnow() + timedelta(days=3)
    event = create_event(starts_at=starts, online_url="https://meet.example.org/r")
    signed_up(event, 2)
    with app.app_context():
        assert chores.send_due_reminders(now=starts - timedelta(days=2)) == 0
        assert chores.send_due_reminders(now=starts - timedelta(hours=20)) == 2
        assert chores.send_due_reminders(now=starts - timedelta(hours=19)) == 0  # never twice
        assert chores.send_due_reminders(now=starts - timedelta(minutes=50)) == 2
        assert chores.send_due_reminders(now=starts - timedelta(minutes=40)) == 0
        from eventapp.mail.models import OutboxMessage

        render_drafts()  # as the worker does before sending

        hour = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.kind == "registration_reminder_hour")
        ).first()
    assert "Join online: https://meet.example.org/r" in hour.body_text
    assert kinds_to(app, "p0@example.org") == [
        "registration_confirmed",
        "registration_reminder_day",
        "registration_reminder_hour",
    ]


def test_a_late_sign_up_gets_no_day_reminder_but_the_hour_one(app, create_event):
    starts = utcnow() + timedelta(hours=5)
    event = create_event(starts_at=starts)
    with app.app_context():
        services.register(event.id, data("late@example.org"))
        assert chores.send_due_reminders(now=starts - timedelta(minutes=55)) == 1
    assert kinds_to(app, "late@example.org") == ["registration_confirmed", "registration_reminder_hour"]


def test_the_worker_runs_the_chores(app, create_event, signed_up):
    event = create_event(starts_at=utcnow() + timedelta(minutes=30))
    with app.app_context():
        services.register(event.id, data("soon@example.org"))
        # Signed up "yesterday": due for the hour reminder now.
        db.session.execute(db.update(Registration).values(created_at=utcnow() - timedelta(days=1)))
        db.session.commit()
        app.config["MAIL_SERVER"] = None
        Worker().run(once=True)

    assert "registration_reminder_hour" in kinds_to(app, "soon@example.org")
