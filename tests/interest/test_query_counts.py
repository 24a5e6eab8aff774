"""The programme page and /programmes cost the same number of queries whatever the size of the interest
list: none of them reads it (the form on the page is the same for everyone)."""

from __future__ import annotations

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.interest.enums import SubscriptionStatus
from eventapp.interest.models import InterestSubscription
from tests.conftest import soon


def _followers(app, programme_id: int, count: int) -> None:
    with app.app_context():
        now = utcnow()
        db.session.execute(
            db.insert(InterestSubscription),
            [{"programme_id": programme_id, "email": f"f{i}@example.org", "name": f"Follower {i}", "locale": "nb",
              "status": SubscriptionStatus.CONFIRMED if i % 5 else SubscriptionStatus.PENDING,
              "privacy_version": "2026-12-06", "requested_at": now, "confirmed_at": now} for i in range(count)],
        )  # fmt: skip
        db.session.commit()


def _queries(app, client, count_queries, path: str) -> tuple[int, str]:
    app.extensions["eventapp.pagecache"].clear()  # rendered afresh each time, not served from the cache
    with count_queries() as counter:
        response = client.get(path)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True)


def test_programme_pages_take_the_same_queries_with_0_and_5000_subscribers(
    app, client, create_programme, create_event, count_queries
):
    programme = create_programme(slug="big", title="Big programme")
    for i in range(3):
        create_event(programme=programme, starts_at=soon(-30 + 20 * i))

    empty_page, html = _queries(app, client, count_queries, "/programmes/big")
    empty_index, _ = _queries(app, client, count_queries, "/programmes")
    assert 'action="/programmes/big/interest"' in html
    _followers(app, programme.id, 5000)
    full_page, html = _queries(app, client, count_queries, "/programmes/big")
    full_index, _ = _queries(app, client, count_queries, "/programmes")

    assert full_page == empty_page == 10  # the programme page's budget (tests/programmes/test_programme_scale.py)
    assert full_index == empty_index
    assert "f1@example.org" not in html  # and the page tells nobody who follows
