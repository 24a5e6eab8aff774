"""Every string meant for people is translated into every Nordic language, and pages and mail use them."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from babel.dates import format_date
from babel.messages.pofile import read_po

from eventapp.i18n import SUPPORTED_LOCALES, TRANSLATIONS_DIR
from tests.conftest import at
from tests.drafts import render_drafts

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = [code for code in SUPPORTED_LOCALES if code != "en"]


@pytest.fixture(scope="module")
def source_strings(tmp_path_factory) -> set[str]:
    """Every message the code and templates ask to translate, extracted afresh."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "ngettext:1,2", "-k", "lazy_pgettext:1c,2", "--no-location", "-o", str(pot), "."],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as handle:
        return {
            message.id if isinstance(message.id, str) else message.id[0] for message in read_po(handle) if message.id
        }


def catalogue(code: str):
    with (TRANSLATIONS_DIR / code / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_string_is_translated_with_matching_placeholders(code, source_strings):
    cat = catalogue(code)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in cat
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }
    problems = [(m.id, str(error)) for m, errors in cat.check() for error in errors]

    missing = sorted(source_strings - translated)
    assert missing == [], f"{len(missing)} strings lack a {code} translation (run `make i18n`): {missing[:10]}"
    assert problems == []


def translation_of(code: str, message: str) -> str:
    found = catalogue(code).get(message)
    assert found is not None, message
    return found.string


@pytest.mark.parametrize("code", LANGUAGES)
def test_pages_speak_the_chosen_language_and_remember_it(client, create_event, code):
    event = create_event(title="Webinar", starts_at=at(2030, 12, 13, 9, 0, tz="Europe/Oslo"))
    weekday = format_date(date(2030, 12, 13), "full", locale=code)  # a Friday, written that language's way

    first = client.get(f"/?lang={code}")
    again = client.get(f"/events/{event.slug}")  # the cookie remembers the choice

    for response in (first, again):
        html = unescape(response.get_data(as_text=True))
        assert f'<html lang="{code}">' in html
        assert weekday in html
        assert "Skip to main content" not in html
        assert translation_of(code, "Skip to main content") in html
    assert translation_of(code, "Upcoming events") in unescape(first.get_data(as_text=True))


def test_mail_is_written_in_the_language_the_person_used(client, create_event, in_app):
    from eventapp.extensions import db
    from eventapp.mail.models import OutboxMessage
    from tests.registrations.conftest import FORM, csrf_token

    event = create_event(title="Innkjøp og bærekraft", capacity=10)
    page = client.get(f"/events/{event.slug}/register?lang=nb").get_data(as_text=True)
    client.post(f"/events/{event.slug}/register", data={**FORM, "csrf_token": csrf_token(page)})

    with in_app():
        render_drafts()  # as the worker does before sending
        mail = db.session.scalars(db.select(OutboxMessage)).one()
    assert mail.locale == "nb"
    assert mail.subject == translation_of("nb", "You are registered: %(title)s") % {"title": "Innkjøp og bærekraft"}
    weekday = format_date(event.starts_at.astimezone(event.tzinfo).date(), "full", locale="nb")
    assert weekday in mail.body_text


@pytest.mark.parametrize("code", LANGUAGES)
def test_the_compiled_catalogue_is_committed_and_matches_its_po(code):
    """Every way of running the app serves six languages, the README's production recipe included (pip
    install, flask db upgrade, gunicorn: nothing compiles there), so the .mo files are committed. What git
    holds must be the compilation of the .po beside it, or the recipe serves yesterday's words."""
    from io import BytesIO

    from babel.messages.mofile import write_mo

    relative = f"eventapp/translations/{code}/LC_MESSAGES/messages.mo"
    held = subprocess.run(["git", "show", f":{relative}"], cwd=REPO, capture_output=True, check=False)  # noqa: S607
    assert held.returncode == 0, f"{relative} is not in git: the production recipe would serve English"
    compiled = BytesIO()
    write_mo(compiled, catalogue(code))
    assert held.stdout == compiled.getvalue(), f"{relative} in git is stale: `make translations` and `git add` it"
