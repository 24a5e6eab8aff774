"""The organiser reads the change log in their own language: lines written when the page is shown, in
Norwegian, Finnish or English, the attendee named from the registration, times in the event's zone; the
page is axe-clean and valid in each."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.browser import scene
from tests.browser.conftest import Stack, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORGANISER = "liv.logg@example.org"
ATTENDEE = "eva.endring@example.org"
SLUG = "change-log-in-every-language"
#: (language, lines the organiser reads, the note on times)
EXPECTED = {
    "nb": (
        [
            "Eva Endring <eva.endring@example.org>: avmeldt av Liv Logg",
            "Digital tavle «The digital board» lagt til av Liv Logg: https://padlet.example.org/kick-off",
            "Presentasjon «kick-off» lastet opp av Liv Logg: kick-off.pdf",
            "Agenda: «Opening» kl. 4. juni 2031 09:00 sentraleuropeisk sommertid lagt til av Liv Logg",
        ],
        "Tidene er i arrangementets tidssone (Europe/Oslo).",
    ),
    "fi": (
        [
            "Eva Endring <eva.endring@example.org>: ilmoittautuminen peruttu (tekijä: Liv Logg)",
            "Ohjelma: ”Opening” 4.6.2031 9.00 Keski-Euroopan kesäaika lisätty (tekijä: Liv Logg)",
        ],
        "Ajat ovat tapahtuman aikavyöhykkeellä (Europe/Oslo).",
    ),
    "en": (
        [
            "Eva Endring <eva.endring@example.org>: cancelled by Liv Logg",
            "Digital board “The digital board” added by Liv Logg: https://padlet.example.org/kick-off",
            "Slides “kick-off” uploaded by Liv Logg: kick-off.pdf",
            "Agenda: “Opening” at 4 Jun 2031 09:00 Central European Summer Time added by Liv Logg",
        ],
        "Times are in the event's time zone (Europe/Oslo).",
    ),
}


def _changes(event_id: int, organiser_id: int) -> None:
    """What the organiser did, through the services: materials, a cancellation, an agenda item."""
    from eventapp.accounts import audit
    from eventapp.accounts.models import User
    from eventapp.extensions import db
    from eventapp.registrations import services

    scene.add_materials(event_id, actor_id=organiser_id)
    organiser = db.session.get(User, organiser_id)
    services.cancel_registration(scene.registration_id(event_id, ATTENDEE), actor=organiser, note="Asked by phone")
    audit.record("agenda.added", actor=db.session.merge(organiser), event_id=event_id, title="Opening",
                 starts_at=audit.value(datetime(2031, 6, 4, 7, 0, tzinfo=UTC)))  # fmt: skip
    db.session.commit()


@pytest.fixture(scope="module")
def event_id(stack: Stack) -> int:
    event_id = stack.run(scene.add_event, SLUG, "Change log in every language")
    stack.run(scene.sign_up, event_id, ATTENDEE, name="Eva Endring")
    organiser_id = stack.run(scene.add_organiser, ORGANISER, name="Liv Logg", owns=(event_id,))
    stack.run(_changes, event_id, organiser_id)
    return event_id


@pytest.mark.parametrize("lang", list(EXPECTED))
def test_the_change_log_reads_in_the_organisers_language(page, check_a11y, shoot, event_id, lang):
    lines, note = EXPECTED[lang]
    sign_in(page, ORGANISER)

    page.goto(f"/manage/events/{event_id}/audit?lang={lang}")

    assert page.locator("html").get_attribute("lang") == lang
    shown = page.locator("ol.audit-log > li").all_inner_texts()
    assert len(shown) == 4
    for line in lines:
        assert any(line in text for text in shown), (line, shown)
    assert "Asked by phone" in page.locator("ol.audit-log").inner_text()  # the organiser's note, as written
    assert page.get_by_text(note).is_visible()
    shoot(page, f"change-log-{lang}")
    check_a11y(page, f"the change log ({lang})")
