"""One transaction pattern: a use case that raises rolls the session back before the error leaves it, so a
view that catches the error shows the form again on a clean session, and nothing half-written is kept."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventapp.accounts import audit
from eventapp.accounts.models import AuditEntry
from eventapp.errors import ValidationFailed
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.registrations.models import Registration
from eventapp.transactions import use_case
from tests.manage.test_mail_problems import outbox, resend, scene  # noqa: F401  (scene is a fixture)
from tests.registrations.conftest import text_of


def test_a_views_failing_service_call_leaves_no_half_written_data_and_the_session_usable(
    mail_app,
    client,
    scene,  # noqa: F811
):
    """resend_failed_mail changes the person's address, the mail's recipient and writes an audit entry,
    then the flush hits the unique index (Ola already uses the address): all of it goes."""
    [failed] = [m for m in outbox(mail_app) if m.status is OutboxStatus.FAILED]

    response = resend(client, scene.id, failed.id, "ola@example.org")

    assert response.status_code == 400  # the page is drawn again after the refusal, on the same session
    page = text_of(response.get_data(as_text=True))
    assert "Another person registered for this event already uses this address." in page
    assert "Confirmation: Kari Nordmann" in page
    with mail_app.app_context():
        assert db.session.get(Registration, scene.kari).email == "kari@exmaple.org"
        assert db.session.scalar(select(func.count()).where(AuditEntry.action == "mail.resent")) == 0
        db.session.remove()
    [still] = [m for m in outbox(mail_app) if m.id == failed.id]
    assert (still.status, still.recipient_email) == (OutboxStatus.FAILED, "kari@exmaple.org")
    assert client.get(f"/manage/events/{scene.id}/mail-problems").status_code == 200


@use_case
def _write_then_refuse(action: str) -> None:
    audit.record(action, actor=None, event_id=None)
    db.session.flush()
    raise ValidationFailed(None, "no")


@use_case
def _outer_that_recovers() -> None:
    audit.record("outer", actor=None, event_id=None)
    with pytest.raises(ValidationFailed):
        _write_then_refuse("inner")  # inside another use case: the outer one decides
    db.session.commit()


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_a_refused_use_case_rolls_back_before_it_raises(app):
    with app.app_context():
        with pytest.raises(ValidationFailed):
            _write_then_refuse("refused")

        assert not db.session.new
        assert not db.session().in_transaction()
        assert _actions() == []


def test_only_the_outermost_use_case_rolls_back(app):
    with app.app_context():
        _outer_that_recovers()

        assert _actions() == ["outer", "inner"]  # the outer use case kept its own work and the inner's flush
