"""Hostile and broken input to the interest list: an answer with the right status, never a 500, nothing
half-written; and tokens kept only as hashes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.interest.models import InterestToken
from eventapp.security import hash_token
from tests.interest.conftest import link
from tests.registrations.conftest import text_of


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "Kari\r\nBcc: victim@example.org", "single line of ordinary text"),
        ("name", "Kari\x00", "cannot be stored (NUL)"),
        ("organisation", "Org\nX", "single line of ordinary text"),
        ("email", "not-an-address", "Please enter an email address such as name@example.org."),
        ("email", "kari@example.org\r\nBcc: x@example.org", "single line of ordinary text"),
        ("email", "", "Please enter your email address."),
        ("name", "", "Please enter your name."),
        ("language", "xx", "Not a valid choice"),
        ("language", "en\r\n", "Not a valid choice"),
    ],
)
def test_bad_form_input_is_refused_at_its_field(app, client, ask, create_programme, outbox, subscriptions, field,
                                                value, message):  # fmt: skip
    programme = create_programme(slug="hostile")

    response = ask(programme.slug, **{field: value})

    assert response.status_code == 400
    assert message in text_of(response.get_data(as_text=True))
    assert outbox() == []
    assert subscriptions() == []


@pytest.mark.parametrize("path", [
    "/interest/confirm/{t}", "/interest/{t}", "/interest/{t}/unsubscribe",
])  # fmt: skip
@pytest.mark.parametrize(
    "token", ["short", "x" * 300, "bad%20token%3Cscript%3E", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "%00" * 25]
)
def test_bad_tokens_are_404_or_the_one_unsubscribe_answer(client, app, path, token):
    response = client.get(path.format(t=token))
    well_formed_unknown = token == "A" * 32
    if path.endswith("/unsubscribe") and well_formed_unknown:
        assert response.status_code == 200  # the same answer as after leaving: it tells nothing
        assert "You have left the list" in text_of(response.get_data(as_text=True))
    else:
        assert response.status_code == 404


def test_bad_posts_with_tokens_never_give_a_500(client, app):
    for path in ("/interest/confirm/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/interest/short/unsubscribe",
                 "/interest/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/unsubscribe"):  # fmt: skip
        assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code in (200, 400, 404)


def test_unknown_programme_is_404(client):
    assert client.post("/programmes/nowhere/interest", data={"name": "x"}).status_code == 404
    assert client.get("/programmes/nowhere/interest/sent").status_code == 404


def test_only_the_hash_of_a_link_is_stored(app, ask, create_programme, outbox):
    programme = create_programme(slug="hashes")
    ask(programme.slug, email="kari@example.org")
    token = link(outbox()[0].body_text, "interest/confirm")
    with app.app_context():
        stored = db.session.scalars(select(InterestToken.token_hash)).all()
    assert stored == [hash_token(token)]
    assert token not in stored


def test_the_page_and_leaving_through_it(app, client, ask, create_programme, outbox, subscriptions):
    from tests.registrations.conftest import csrf_token

    first = create_programme(slug="first", title="First programme")
    second = create_programme(slug="second", title="Second programme")
    for programme in (first, second):
        ask(programme.slug, email="kari@example.org")
    for mail in outbox():
        token = link(mail.body_text, "interest/confirm")
        page = client.get(f"/interest/confirm/{token}").get_data(as_text=True)
        landed = client.post(f"/interest/confirm/{token}", data={"csrf_token": csrf_token(page)})
    page_url = landed.headers["Location"].split("?")[0]
    page = client.get(page_url).get_data(as_text=True)
    assert "First programme" in page
    assert "Second programme" in page

    changed = client.post(f"{page_url}/language", data={"csrf_token": csrf_token(page), "language": "fi"})
    assert changed.status_code == 303
    assert {s.locale for s in subscriptions()} == {"fi"}
    refused = client.post(f"{page_url}/language", data={"csrf_token": csrf_token(page), "language": "xx"})
    assert refused.status_code == 400

    first_id = next(s.id for s in subscriptions() if s.programme_id == first.id)
    left = client.post(f"{page_url}/leave", data={"csrf_token": csrf_token(page), "subscription": str(first_id)})
    assert left.status_code == 303
    assert [s.programme_id for s in subscriptions()] == [second.id]
    junk = client.post(f"{page_url}/leave", data={"csrf_token": csrf_token(page), "subscription": "99999999999"})
    assert junk.status_code == 400
