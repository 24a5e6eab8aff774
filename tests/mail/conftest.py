"""Helpers of the mail tests (the SMTP server fixtures are in tests/mail_fixtures.py)."""

from __future__ import annotations

import pytest

from eventapp.mail.services import RenderedMail


def make_mail(**overrides) -> RenderedMail:
    values = {
        "kind": "test",
        "recipient_email": "aasmund@example.org",
        "recipient_name": "Ærlig Åsmund Øvrebø",
        "locale": "nb",
        "subject": "Påmelding: Innkjøp og bærekraft",
        "body_text": "Hei Ærlig Åsmund Øvrebø,\n\nDu er påmeldt.\n",
        "body_html": "<p>Hei Ærlig Åsmund Øvrebø,</p><p>Du er påmeldt.</p>",
    }
    values.update(overrides)
    return RenderedMail(**values)


@pytest.fixture
def enqueue_mails(mail_app):
    """``enqueue_mails(n, **overrides)``: n mails committed to the outbox; returns their Message-IDs."""
    from eventapp.extensions import db
    from eventapp.mail.services import enqueue

    def _enqueue(count: int = 1, **overrides) -> list[str]:
        with mail_app.app_context():
            rows = [enqueue(make_mail(**overrides)) for _ in range(count)]
            db.session.commit()
            ids = [row.message_id for row in rows]
            db.session.remove()
            return ids

    return _enqueue
