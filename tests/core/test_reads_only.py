"""The event page reads without a transaction on PostgreSQL (``db.reads_only``: no BEGIN and ROLLBACK
round trips, two of its four), and the connection goes back to the pool ready for transactions: a
sign-up or an edit after it is one transaction as before."""

from __future__ import annotations

import pytest
from sqlalchemy import event, text

from eventapp.extensions import db

pytestmark = pytest.mark.postgres_only


def test_the_event_page_reads_without_a_transaction_and_leaves_none_behind(app, client, create_event):
    event_row = create_event(title="Innkjøpsdagen 2027")
    with app.app_context():
        db.engine.dispose()  # one connection in the pool from here on: the page's, then the check's
        engine = db.engine
    autocommit: list[bool] = []

    def _before(conn, _cursor, _statement, *_args):
        autocommit.append(conn.connection.dbapi_connection.autocommit)

    event.listen(engine, "before_cursor_execute", _before)
    try:
        response = client.get(f"/events/{event_row.slug}")
    finally:
        event.remove(engine, "before_cursor_execute", _before)

    assert response.status_code == 200
    assert "Innkjøpsdagen 2027" in response.get_data(as_text=True)
    assert autocommit
    assert all(autocommit)  # every statement of the page on its own: no BEGIN, no ROLLBACK
    with app.app_context():
        db.session.execute(text("SELECT 1"))
        dbapi_connection = db.session.connection().connection.dbapi_connection
        assert dbapi_connection.autocommit is False  # the next request's statements are one transaction again
        assert dbapi_connection.info.transaction_status.name == "INTRANS"
        db.session.rollback()
