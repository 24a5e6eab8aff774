"""The accessibility statement says what the tests check: no more, no less."""

from __future__ import annotations

import re
from pathlib import Path

from eventapp.about import accessibility
from tests.registrations.conftest import text_of

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
MARKER = re.compile(r"""@pytest\.mark\.a11y_check\(([^)]*)\)""")


def checks_the_tests_perform() -> set[str]:
    found: set[str] = set()
    for path in BROWSER_TESTS.glob("test_*.py"):
        for arguments in MARKER.findall(path.read_text(encoding="utf-8")):
            found.update(re.findall(r"""["']([a-z0-9-]+)["']""", arguments))
    return found


def test_every_check_in_the_statement_is_performed_by_a_browser_test_and_vice_versa():
    assert checks_the_tests_perform() == accessibility.check_ids()


def test_the_statement_page_lists_the_checks_the_limitations_and_where_to_complain(app, client):
    response = client.get("/accessibility")
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    for check in accessibility.CHECKS:
        assert str(check.what) in page
        assert ", ".join(check.criteria) in page
    for limitation in accessibility.LIMITATIONS:
        assert str(limitation) in page
    assert "uutilsynet.no" in page
    with app.test_request_context("/"):
        from datetime import datetime, time

        from eventapp.formatting import long_date

        reviewed = long_date(datetime.combine(accessibility.REVIEWED, time()))
    assert f"last reviewed on {reviewed}." in page
    assert "Accessibility statement" in text_of(client.get("/").get_data(as_text=True))  # linked from every page


def test_the_statement_is_in_the_visitors_language(client):
    page = client.get("/accessibility?lang=nb").get_data(as_text=True)
    assert '<html lang="nb"' in page
