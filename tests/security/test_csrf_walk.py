"""Every POST route of the URL map refuses a request without a CSRF token: 400, and nothing stored
changes, for an anonymous visitor and for a signed-in administrator alike."""

from __future__ import annotations

from tests.account_fixtures import PASSWORD
from tests.registrations.conftest import csrf_token
from tests.security import walk
from tests.security.walk import ADMIN, changed_tables, rules, snapshot, url_of

world = walk.world  # the fixture

#: A plausible body for every form: the fields people fill in, without the token.
BODY = {
    "name": "Mallory Example",
    "email": "mallory@example.org",
    "title": "Forged",
    "subject": "Forged",
    "body": "Forged",
    "password": PASSWORD,
    "confirm": "y",
    "accept_privacy": "y",
}


#: POST routes that take no CSRF token by design, each with its reason and its own tests.
WITHOUT_TOKEN = {
    # RFC 8058: the mail provider's one-click POST carries none; the link's secret token is the check
    # (tests/interest/test_journey.py, tests/interest/test_hostile.py).
    "/interest/<token>/unsubscribe",
}


def _walk(app, client, world) -> list[str]:
    problems = []
    for rule in rules(app, "POST"):
        if rule.rule in WITHOUT_TOKEN:
            continue
        url = url_of(rule, world)
        before = snapshot(app)
        response = client.post(url, data=BODY)
        changed = changed_tables(before, snapshot(app))
        if response.status_code != 400 or changed:
            problems.append(f"{url}: {response.status_code}, changed {changed}")
    return problems


def test_every_post_route_refuses_an_anonymous_request_without_a_csrf_token(app, client, world):
    assert app.config.get("WTF_CSRF_ENABLED", True)
    assert len(rules(app, "POST")) > 40  # the walk really walks the app

    assert _walk(app, client, world) == []


def test_every_post_route_refuses_a_signed_in_administrator_without_a_csrf_token(app, client, world):
    page = client.get("/login").get_data(as_text=True)
    signed_in = client.post("/login", data={"csrf_token": csrf_token(page), "email": ADMIN, "password": PASSWORD})
    assert signed_in.status_code in (302, 303)
    assert client.get("/manage/").status_code == 200

    assert _walk(app, client, world) == []
    assert client.get("/manage/").status_code == 200  # even the forged sign-out did not sign out
