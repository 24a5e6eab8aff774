"""Reading a mail right after the use case that wrote it: the worker renders registration mails after
the commit (``mail.drafts``), so tests render the drafts first, as the worker does before sending."""

from __future__ import annotations

from datetime import datetime


def render_drafts(app=None, *, limit: int = 1_000_000, now: datetime | None = None):
    """Render the outbox's due drafts as the worker does just before sending (``mail.drafts.render_drafts``,
    its own transaction: what the test's session holds uncommitted is rolled back first, as the worker
    would not see it), so a test can read the mail a use case wrote (subject, bodies, calendar) right
    after it. Runs in the current app context, or in one of ``app``. Returns the ``RenderTally``."""
    from flask import has_app_context

    from eventapp.extensions import db
    from eventapp.mail.drafts import render_drafts as render

    def _render():
        db.session.rollback()
        return render(limit=limit, now=now)

    if app is None or has_app_context():
        return _render()
    with app.app_context():
        return _render()
