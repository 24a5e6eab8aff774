"""The interest list's time-driven work and its second announcement: requests nobody confirmed are deleted
after a week (by the worker's chores), and publishing an event's materials mails the subscribers once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.interest.enums import SubscriptionStatus
from eventapp.interest.models import InterestSubscription, InterestToken
from eventapp.interest.services import expire_requests
from eventapp.mail.models import OutboxMessage
from eventapp.mail.worker import Worker
from tests.conftest import soon


def test_requests_not_confirmed_within_a_week_are_deleted_by_the_worker(app, ask, create_programme, subscriptions):
    programme = create_programme(slug="expiry")
    ask(programme.slug, email="old@example.org")
    ask(programme.slug, email="fresh@example.org")
    with app.app_context():
        old = db.session.scalars(
            select(InterestSubscription).where(InterestSubscription.email == "old@example.org")
        ).one()
        old.requested_at = utcnow() - timedelta(days=7, minutes=1)
        confirmed = InterestSubscription(programme_id=programme.id, email="kept@example.org", name="Kept",
                                         locale="en", status=SubscriptionStatus.CONFIRMED, privacy_version="x",
                                         requested_at=utcnow() - timedelta(days=30))  # fmt: skip
        db.session.add(confirmed)
        db.session.commit()

    with app.app_context():
        Worker().run_chores()
        assert db.session.scalars(select(OutboxMessage.recipient_email)).all() == ["fresh@example.org"]
        assert len(db.session.scalars(select(InterestToken)).all()) == 1
        assert expire_requests() == 0  # nothing left to do: running it again is harmless
    assert sorted(s.email for s in subscriptions()) == ["fresh@example.org", "kept@example.org"]


def test_materials_published_mail_the_subscribers_once(app, create_programme, create_event, create_account):
    from eventapp.materials import services as material_services
    from eventapp.materials.enums import MaterialKind, Visibility

    programme = create_programme()
    event = create_event(programme=programme, starts_at=soon(-3), title="Past webinar")
    admin = create_account("lead@example.org")
    with app.app_context():
        db.session.add(InterestSubscription(programme_id=programme.id, email="f@example.org", name="F", locale="sv",
                                            status=SubscriptionStatus.CONFIRMED, privacy_version="x"))  # fmt: skip
        db.session.commit()
        actor = db.session.get(User, admin.id)
        material_services.create_link_material(event.id, material_services.MaterialData(
            kind=MaterialKind.RECORDING, title="Recording", url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            visibility=Visibility.PUBLIC, published=True), actor=actor)  # fmt: skip
        material_services.publish_materials(event.id, actor=actor)
        material_services.unpublish_materials(event.id, actor=actor)
        material_services.publish_materials(event.id, actor=actor)
        mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "interest_materials")).all()
        assert [m.recipient_email for m in mails] == ["f@example.org"]
        assert "Past webinar" in mails[0].subject
        assert mails[0].list_unsubscribe.endswith("/unsubscribe")


def test_the_expiry_also_runs_as_a_command(app):
    result = app.test_cli_runner().invoke(args=["interest-expire"])

    assert result.exit_code == 0
    assert "0 unconfirmed interest-list requests deleted" in result.output
