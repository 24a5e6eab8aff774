"""The event page's registration box is made for every answer while the rest of the page stays cached:
a sign-up changes the seats shown at once without rendering the page again."""

from __future__ import annotations

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration


def _sign_up_directly(app, event_id: int, n: int) -> None:
    with app.app_context():
        now = utcnow()
        person = Registration(event_id=event_id, status=RegistrationStatus.CONFIRMED, name=f"Person {n}",
                              email=f"person{n}@example.org", organisation="Bergen kommune",
                              organisation_type=OrganisationType.MUNICIPALITY, country="NO",
                              organisation_key="bergen kommune", privacy_accepted_at=now, created_at=now)  # fmt: skip
        db.session.add(person)
        db.session.commit()


def test_a_sign_up_shows_at_once_and_the_rest_of_the_page_comes_from_the_cache(app, client, create_event,
                                                                                count_queries):  # fmt: skip
    event = create_event(capacity=30, agenda=2, speakers_per_item=1)
    first = client.get(f"/events/{event.slug}")
    assert "30 seats left" in first.get_data(as_text=True)

    _sign_up_directly(app, event.id, 1)
    with count_queries() as counter:
        second = client.get(f"/events/{event.slug}")

    body = second.get_data(as_text=True)
    assert "29 seats left" in body
    assert "30 seats left" not in body
    assert "<!--eventapp:fill-->" not in body
    assert body.replace("29 seats left", "30 seats left") == first.get_data(as_text=True)
    assert counter.count == 2  # the content version and the seats: the page itself was not made again
    assert not any("FROM events" in statement and "agenda" in statement for statement in counter.statements)
    assert second.get_etag()[0] != first.get_etag()[0]

    stale = client.get(f"/events/{event.slug}", headers={"If-None-Match": f'"{first.get_etag()[0]}"'})
    fresh = client.get(f"/events/{event.slug}", headers={"If-None-Match": f'"{second.get_etag()[0]}"'})
    assert stale.status_code == 200
    assert "29 seats left" in stale.get_data(as_text=True)
    assert fresh.status_code == 304


def test_a_full_event_offers_its_waiting_list_from_the_cached_page(app, client, create_event):
    event = create_event(capacity=1, waitlist_enabled=True)
    assert "Sign up" in client.get(f"/events/{event.slug}").get_data(as_text=True)
    _sign_up_directly(app, event.id, 1)
    body = client.get(f"/events/{event.slug}").get_data(as_text=True)
    assert "The event is full." in body
    assert "Join the waiting list" in body


def test_without_the_page_cache_the_box_is_filled_in_too(app, client, create_event):
    event = create_event(capacity=5)
    cache = app.extensions["eventapp.pagecache"]
    kept, cache.max_bytes = cache.max_bytes, 0  # the cache turned off (EVENTAPP_PAGE_CACHE_MB=0)
    try:
        body = client.get(f"/events/{event.slug}").get_data(as_text=True)
    finally:
        cache.max_bytes = kept
    assert "5 seats left" in body
    assert "<!--eventapp:fill-->" not in body
