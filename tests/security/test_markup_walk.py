"""Reflected and stored markup: a hostile value in every query parameter of every GET route, and in every
text field of the public forms and of every back-office form, never reaches a page as a tag."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit

import lxml.html
from sqlalchemy import select

from eventapp.extensions import db
from eventapp.registrations.models import Registration
from tests.account_fixtures import PASSWORD
from tests.registrations.conftest import FORM, csrf_token
from tests.security import walk
from tests.security.walk import ADMIN, HOSTILE, query_parameters, rules, snapshot, unescaped_markup, url_of

world = walk.world  # the fixture

#: Forms the stored-markup walk leaves alone: they take something away (rows, access, the session)
#: that the rest of the walk needs, and store no text.
DESTRUCTIVE = ("cancel", "remove", "delete", "deactivate", "revoke", "withdraw", "unpublish", "logout", "/move")


def _signed_in(app):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"csrf_token": csrf_token(page), "email": ADMIN, "password": PASSWORD})
    return client


def _check(response, url: str) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"{url}: {response.status_code}")
    location = response.headers.get("Location", "")
    if location and urlsplit(location).netloc not in ("", "localhost"):
        problems.append(f"{url}: redirects off the site to {location}")
    if response.mimetype == "text/html":
        problems += [f"{url}: unescaped {tag}" for tag in unescaped_markup(response.get_data(as_text=True))]
    return problems


def _walk_get_routes(app, client, world, *, hostile_query: bool) -> list[str]:
    problems = []
    for rule in rules(app, "GET"):
        path = url_of(rule, world)
        if not hostile_query:
            problems += _check(client.get(path), path)
            continue
        names = query_parameters(app, rule)
        every = f"{path}?{urlencode(dict.fromkeys(names, HOSTILE))}"
        problems += _check(client.get(every), every)
        for name in names:
            if name in walk.URL_FOR_NAMES or name in rule.arguments:
                continue  # sent together above
            one = f"{path}?{urlencode({name: HOSTILE})}"
            problems += _check(client.get(one), one)
    return problems


def test_a_hostile_value_in_any_query_parameter_is_never_a_tag(app, client, world):
    assert _walk_get_routes(app, client, world, hostile_query=True) == []
    assert _walk_get_routes(app, _signed_in(app), world, hostile_query=True) == []


def _fill(form: lxml.html.FormElement) -> dict[str, str]:
    """What a person would send, with the hostile value in every free-text field."""
    data: dict[str, str] = {}
    for element in form.inputs:
        name = element.get("name")
        if not name:
            continue
        if element.tag == "textarea":
            data[name] = HOSTILE
        elif element.tag == "select":
            options = [o.get("value", o.text or "") for o in element.findall(".//option")]
            chosen = element.value if isinstance(element.value, str) and element.value else None
            data[name] = chosen or next((o for o in options if o), "")
        else:
            kind = (element.get("type") or "text").lower()
            value = element.get("value") or ""
            if kind in ("hidden", "date", "datetime-local", "time", "number"):
                data[name] = value or {"number": "10", "date": "2031-03-04", "time": "10:00"}.get(
                    kind, "2031-03-04T10:00"
                )
            elif kind in ("checkbox", "radio"):
                if element.checked or name not in data:
                    data[name] = value or "y"
            elif kind == "email" or "email" in name:
                data[name] = "hostile.walker@example.org"
            elif kind == "url" or name.endswith("url"):
                data[name] = "https://example.org/x"
            elif kind == "password":
                data[name] = PASSWORD
            elif kind in ("text", "search", "tel") or kind not in ("file", "submit", "button", "image", "reset"):
                data[name] = "hostile-slug" if name.endswith("slug") else HOSTILE
    return data


def _submit_every_form(app, client, world) -> None:
    seen: set[str] = set()
    for rule in rules(app, "GET"):
        path = url_of(rule, world)
        if not path.startswith("/manage"):
            continue
        page = client.get(path)
        if page.mimetype != "text/html":
            continue
        for form in lxml.html.fromstring(page.get_data(as_text=True)).forms:
            action = form.get("action") or path
            if (
                (form.get("method") or "get").lower() != "post"
                or action in seen
                or any(word in action for word in DESTRUCTIVE)
            ):
                continue
            seen.add(action)
            response = client.post(action, data=_fill(form))
            assert response.status_code < 500, f"{action}: {response.status_code}"


def test_a_hostile_value_stored_through_any_form_is_never_a_tag(app, client, world):
    # Public forms: sign-up, the attendee's own details, the speaker's profile.
    page = client.get(f"/events/{world.event_slug}/register").get_data(as_text=True)
    hostile_person = {"name": HOSTILE, "organisation": HOSTILE, "job_title": HOSTILE}
    data = {**FORM, **hostile_person, "email": "second@example.org", "csrf_token": csrf_token(page)}
    assert client.post(f"/events/{world.event_slug}/register", data=data).status_code < 500
    own = client.get(f"/r/{world.registration_token}").get_data(as_text=True)
    details = {**FORM, **hostile_person, "csrf_token": csrf_token(own)}
    assert client.post(f"/r/{world.registration_token}/details", data=details).status_code < 500
    portal = client.get(f"/speaker/{world.speaker_token}").get_data(as_text=True)
    profile = {"csrf_token": csrf_token(portal), "name": HOSTILE, "job_title": HOSTILE, "organisation": HOSTILE}
    assert client.post(f"/speaker/{world.speaker_token}/profile", data={**profile, "bio": HOSTILE}).status_code < 500
    # Every back-office form, as an administrator fills it in.
    admin = _signed_in(app)
    _submit_every_form(app, admin, world)

    stored_in = [name for name, rows in snapshot(app).items() if any("<script>alert(1)" in row for row in rows)]
    assert len(stored_in) >= 4, stored_in  # the hostile text really is in the database, in many places
    with app.app_context():
        assert db.session.scalar(select(Registration.name).where(Registration.id == world.registration_id)) == HOSTILE
        db.session.remove()
    assert _walk_get_routes(app, client, world, hostile_query=False) == []
    assert _walk_get_routes(app, admin, world, hostile_query=False) == []
