"""Property-based: random and hostile values (control characters, NUL, huge strings, unicode, numbers at
2**31, repeated parameters) in every query parameter and path segment of every GET route and in every
field of every public form never give a 5xx, and change nothing stored beyond what the answer says was done.

Bounded (``max_examples``, no deadline, derandomised, no example database) so it runs in seconds.
"""

from __future__ import annotations

from urllib.parse import urlencode

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.account_fixtures import PASSWORD
from tests.registrations.conftest import csrf_token
from tests.security import walk
from tests.security.walk import ADMIN, HOSTILE, changed_tables, query_parameters, rules, snapshot, url_of

world = walk.world  # the fixture

BOUNDED = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

#: Values people do not type but anyone can send.
NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\r\nBcc: x@evil.example",
    "\x1b[31m",
    "\u200b",
    "\ufeff",
    "\ud7ff\ue000",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍💻",
    "2147483647",
    "2147483648",
    "-2147483649",
    "9" * 40,
    "1e308",
    "NaN",
    "0x10",
    "../../etc/passwd",
    "%00",
    "x" * 20_000,
    HOSTILE,
    "javascript:alert(1)",
    "//evil.example",
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers(min_value=-(2**63), max_value=2**63).map(str),
)
#: One value, or the same parameter repeated (a list).
VALUES = st.one_of(VALUE, st.lists(VALUE, min_size=2, max_size=3))
#: Tables that may change on a refused sign-in (failed attempts are counted there, if the app keeps them).
ATTEMPT_TABLES = ("attempt", "lockout", "throttle")


def _query(values: dict[str, object]) -> str:
    return urlencode([(k, v) for k, vs in values.items() for v in (vs if isinstance(vs, list) else [vs])])


def test_random_query_parameters_never_give_a_server_error_or_change_anything(app, client, world):
    get_rules = rules(app, "GET")
    parameters = {rule.rule: query_parameters(app, rule) for rule in get_rules}
    administrator = app.test_client()
    page = administrator.get("/login").get_data(as_text=True)
    administrator.post("/login", data={"csrf_token": csrf_token(page), "email": ADMIN, "password": PASSWORD})

    @settings(BOUNDED, max_examples=80)
    @given(data=st.data())
    def check(data):
        rule = data.draw(st.sampled_from(get_rules))
        names = data.draw(st.lists(st.sampled_from(parameters[rule.rule]), min_size=1, max_size=4))
        names += data.draw(st.lists(st.text(max_size=8), max_size=1))  # and a name no view reads
        query = {name: data.draw(VALUES) for name in names}
        in_path = data.draw(st.dictionaries(st.sampled_from(sorted(rule.arguments)), VALUE)) if rule.arguments else {}
        url = f"{url_of(rule, world, in_path)}?{_query(query)}"
        visitor = administrator if data.draw(st.booleans()) else client
        before = snapshot(app)
        response = visitor.get(url)
        assert response.status_code < 500, url
        assert changed_tables(before, snapshot(app)) == [], url

    check()


def _public_forms(client, world) -> list[tuple[str, str, dict[str, str]]]:
    """(page, action, the fields a browser would send) of every POST form on the public pages."""
    pages = [
        f"/events/{world.event_slug}/register",
        f"/events/{world.event_slug}/lost-link",
        f"/r/{world.registration_token}",
        f"/r/{world.registration_token}/cancel",
        f"/speaker/{world.speaker_token}",
        "/login",
        "/password-reset",
    ]
    found = []
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        for form in lxml.html.fromstring(html).forms:
            multipart = (form.get("enctype") or "").startswith("multipart")
            if (form.get("method") or "get").lower() == "post" and not multipart:
                fields = dict(form.form_values())
                for element in form.inputs:
                    if element.get("name"):
                        fields.setdefault(element.get("name"), "")
                found.append((page, form.get("action") or page, fields))
    return found


def test_random_values_in_every_public_form_never_give_a_server_error(app, client, world):
    forms = _public_forms(client, world)
    assert len(forms) >= 6, [action for _, action, _ in forms]

    @BOUNDED
    @given(data=st.data())
    def check(data):
        _page, action, fields = data.draw(st.sampled_from(forms))
        hostile = data.draw(st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=len(fields)))
        body = {
            name: (data.draw(VALUES) if name in hostile and name != "csrf_token" else fields[name]) for name in fields
        }
        before = snapshot(app)
        response = client.post(action, data=body)
        after = snapshot(app)
        changed = changed_tables(before, after)
        assert response.status_code < 500, (action, body)
        if response.status_code >= 400:
            assert [t for t in changed if not any(word in t for word in ATTEMPT_TABLES)] == [], (action, body)
        if "registrations" in changed and action.endswith("/register"):
            assert response.status_code in (302, 303), (action, body)  # stored only when the answer says so

    check()
