"""Interest lists: people who want news of a programme by email (double opt-in), their own page, the list
mails (events and materials published, programme news) and what organisers see of the list."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The public pages, the form on every programme page (template global ``interest_form``), the
    receivers of the events layer's signals, and the ``interest-expire`` command."""
    from eventapp.interest import announcements, cli, views
    from eventapp.interest.services import worker_chore
    from eventapp.mail.worker import add_chore

    app.register_blueprint(views.bp)
    app.jinja_env.globals["interest_form"] = views.interest_form
    announcements.connect()
    add_chore(app, worker_chore)
    cli.register(app)
