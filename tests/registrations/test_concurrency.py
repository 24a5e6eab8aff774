"""Many people at once, for real: gunicorn with 4 worker processes on PostgreSQL, hundreds of clients
released at the same moment. No seat is sold twice, nobody gets a 5xx, the waiting list keeps the order
the sign-ups committed in, a quota holds, and every freed seat goes to exactly one person waiting."""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType, RegistrationStatus
from eventapp.registrations.models import Registration
from tests.conftest import TEST_CONFIG
from tests.registrations.live_server import Client, LiveServer, Reply, all_at_once, live_server, tally

pytestmark = [pytest.mark.postgres_only, pytest.mark.slow]

CONFIRMED, WAITLISTED, CANCELLED = (
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
    RegistrationStatus.CANCELLED,
)
QUOTA_MESSAGE = "Bergen kommune already has 2 people registered, the most this event takes from one organisation."


@pytest.fixture
def server(app, database_url: str, tmp_path) -> Iterator[LiveServer]:
    """The app under ``gunicorn -w 4 -k sync`` on the test database; stopped (and its log checked) after."""
    with live_server(database_url, TEST_CONFIG["SECRET_KEY"], tmp_path / "gunicorn.log", workers=4) as live:
        yield live


def sign_up_form(token: str, n: int, *, organisation: str | None = None, kind: str = "company") -> dict[str, str]:
    return {
        "csrf_token": token,
        "name": f"Person {n}",
        "email": f"person{n}@example.org",
        "organisation": organisation or f"Organisation {n}",
        "organisation_type": kind,
        "country": "NO",
        "accept_privacy": "y",
    }


def signer(server: LiveServer, slug: str, form: Callable[[str], dict[str, str]]) -> Callable[[], Callable[[], Reply]]:
    """Prepare: GET the sign-up form (session cookie, CSRF token). Action: POST it."""
    path = f"/events/{slug}/register"

    def prepare() -> Callable[[], Reply]:
        client = Client(server.base_url)
        token = client.csrf_token(path)
        return lambda: client.post(path, form(token))

    return prepare


def burst(server: LiveServer, prepares: list[Callable[[], Callable[[], Reply]]]) -> list[Reply]:
    started = time.monotonic()
    replies = all_at_once(prepares)
    print(f"{len(replies)} requests at once: {dict(tally(replies))} in {time.monotonic() - started:.1f} s")
    server.print_log()  # shown by pytest only when the test fails
    server.assert_log_clean()
    return replies


def rows(app, event_id: int) -> list[Registration]:
    """The event's registrations in id order (commit order: ids are taken inside the event lock)."""
    with app.app_context():
        found = list(db.session.scalars(select(Registration).where(Registration.event_id == event_id).order_by("id")))
        db.session.expunge_all()
        db.session.remove()
    return found


def assert_seats_and_queue(registrations: list[Registration], *, confirmed: int, waitlisted: int) -> None:
    by_status = {status: [r for r in registrations if r.status is status] for status in RegistrationStatus}
    assert len(by_status[CONFIRMED]) == confirmed
    assert len(by_status[WAITLISTED]) == waitlisted
    emails = [r.email for r in registrations]
    assert len(emails) == len(set(emails)), "the same address registered twice"
    # The waiting list is in commit order: every confirmed seat was taken before anyone queued, and
    # the queue's sign-up times never go backwards along it.
    assert max(r.id for r in by_status[CONFIRMED]) < min(r.id for r in by_status[WAITLISTED])
    queue = [(r.id, r.created_at) for r in by_status[WAITLISTED]]
    out_of_order = [(a, b) for a, b in itertools.pairwise(queue) if b[1] < a[1]]
    assert not out_of_order, f"waitlisted created_at goes backwards along the id order at {out_of_order[:5]}"


def assert_sign_ups_redirected(replies: list[Reply]) -> None:
    """Every accepted sign-up is sent to "check your inbox" (its link goes by mail, one per person)."""
    assert all(re.fullmatch(r"/events/[^/]+/register/sent", urlsplit(r.location).path) for r in replies), [
        r for r in replies if r.status == 303
    ]


def test_200_at_once_fill_25_seats_exactly_and_queue_the_rest_in_commit_order(app, server, create_event):
    event = create_event(capacity=25, waitlist_enabled=True)

    replies = burst(server, [signer(server, event.slug, lambda t, n=n: sign_up_form(t, n)) for n in range(200)])

    assert tally(replies) == {303: 200}
    assert_sign_ups_redirected(replies)
    registrations = rows(app, event.id)
    assert {r.email for r in registrations} == {f"person{n}@example.org" for n in range(200)}
    assert_seats_and_queue(registrations, confirmed=25, waitlisted=175)


def test_a_quota_of_2_per_organisation_holds_when_20_colleagues_sign_up_at_once(app, server, create_event):
    event = create_event(capacity=25, waitlist_enabled=True, quota_per_organisation=2)
    colleagues = set(range(5, 200, 10))  # 20 people from Bergen kommune, spread among the 200
    forms = [
        (lambda t, n=n: sign_up_form(t, n, organisation="Bergen kommune", kind=OrganisationType.MUNICIPALITY.value))
        if n in colleagues
        else (lambda t, n=n: sign_up_form(t, n))
        for n in range(200)
    ]

    replies = burst(server, [signer(server, event.slug, form) for form in forms])

    assert not [r for r in replies if r.status >= 500]
    from_bergen = [r for n, r in enumerate(replies) if n in colleagues]
    assert tally(from_bergen) == {303: 2, 409: 18}
    assert all(QUOTA_MESSAGE in r.body for r in from_bergen if r.status == 409)
    others = [r for n, r in enumerate(replies) if n not in colleagues]
    assert tally(others) == {303: 180}
    assert_sign_ups_redirected([r for r in replies if r.status == 303])
    registrations = rows(app, event.id)
    assert len([r for r in registrations if r.organisation == "Bergen kommune"]) == 2
    assert_seats_and_queue(registrations, confirmed=25, waitlisted=182 - 25)


def test_50_cancellations_at_once_promote_exactly_the_next_50_waiting(app, server, create_event):
    event = create_event(capacity=50, waitlist_enabled=True)
    with app.app_context():
        tokens = [
            services.register(
                event.id,
                services.RegistrationData(
                    name=f"Person {n}",
                    email=f"person{n}@example.org",
                    organisation=f"Organisation {n}",
                    organisation_type=OrganisationType.COMPANY,
                    country="NO",
                    accept_privacy=True,
                    locale="en",
                ),
            ).token
            for n in range(110)
        ]
        db.session.remove()
    before = rows(app, event.id)
    assert [r.status for r in before] == [CONFIRMED] * 50 + [WAITLISTED] * 60

    def canceller(token: str) -> Callable[[], Callable[[], Reply]]:
        def prepare() -> Callable[[], Reply]:
            client = Client(server.base_url)
            csrf = client.csrf_token(f"/r/{token}/cancel")
            return lambda: client.post(f"/r/{token}/cancel", {"csrf_token": csrf})

        return prepare

    replies = burst(server, [canceller(token) for token in tokens[:50]])

    assert tally(replies) == {303: 50}
    assert [urlsplit(r.location).path for r in replies] == [f"/r/{token}" for token in tokens[:50]]
    after = {r.id: r.status for r in rows(app, event.id)}
    first_50, next_50, last_10 = before[:50], before[50:100], before[100:]
    assert [after[r.id] for r in first_50] == [CANCELLED] * 50
    assert [after[r.id] for r in next_50] == [CONFIRMED] * 50
    assert [after[r.id] for r in last_10] == [WAITLISTED] * 10
    with app.app_context():
        promoted_mail = list(
            db.session.scalars(
                select(OutboxMessage.recipient_email).where(OutboxMessage.kind == "registration_promoted")
            )
        )
        db.session.remove()
    assert sorted(promoted_mail) == sorted(r.email for r in next_50)
