"""Flask-SQLAlchemy's session removal at the end of a request, made unable to turn a finished answer
into an error (a request that finds the database away gets the app's own 503 page from
``errors.handle_database_away``).

The assumption: ``SQLAlchemy.init_app`` registers its own bound method ``_teardown_session`` with
``app.teardown_appcontext``; it is taken off and replaced here.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("eventapp.db")


def install(app: Any, db: Any) -> None:
    """End each request's session without ever turning a finished answer into an error (a request that
    finds the database away gets the app's own 503 page from ``errors.handle_database_away``).

    Flask-SQLAlchemy removes the session when the app context ends, *after* the response was made. If
    PostgreSQL dropped the connection meanwhile (a restart, ``pg_terminate_backend``), the rollback in
    that clean-up raises, and the WSGI server would send its own bare 500 instead of the finished page.
    Here the failure is logged and the broken session discarded; the answer goes out as it was.
    """
    original = getattr(db, "_teardown_session", None)
    app.teardown_appcontext_funcs[:] = [f for f in app.teardown_appcontext_funcs if f != original]

    @app.teardown_appcontext
    def _remove_session(_exc: BaseException | None) -> None:
        try:
            db.session.remove()
        except Exception:  # the answer is made: nothing here may replace it with an error
            log.warning("the database connection failed while a request was ending; discarded", exc_info=True)
            db.session.registry.clear()
