"""An event in more than one language: visitors read their language where it is given, the original
elsewhere, and every part carries the language it is in."""

from __future__ import annotations

import re

import pytest

from eventapp.agenda.models import AgendaItem
from eventapp.events.models import Event, EventTranslation
from eventapp.extensions import db
from tests.registrations.conftest import csrf_token, text_of

SWEDISH = {
    "title": "Marknadsdialog om utsläppsfria byggarbetsplatser",
    "summary": "",  # left empty: the Norwegian summary is shown
    "description_md": "## Program\n\nKommunerna möter leverantörerna.",
}


@pytest.fixture
def event(create_event, create_account, client, log_in):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return create_event(
        created_by_id=owner.id,
        language="nb",
        title="Markedsdialog om utslippsfrie byggeplasser",
        summary="Kommunene møter leverandørene.",
        description_md="Kommunene møter leverandørene i Oslo.",
        agenda=2,
    )


def item_ids(app, event_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(db.select(AgendaItem.id).where(AgendaItem.event_id == event_id).order_by(AgendaItem.id))
        )


def save(client, event_id: int, lang: str, **fields):
    url = f"/manage/events/{event_id}/translations?into={lang}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"into": lang, **fields, "csrf_token": token})


def test_a_swedish_visitor_reads_the_swedish_texts_and_the_norwegian_rest(app, client, event):
    first_item, _ = item_ids(app, event.id)
    response = save(client, event.id, "sv", **SWEDISH, **{f"item_{first_item}": "Välkommen"})
    assert response.status_code == 303
    client = app.test_client()  # a visitor, not signed in

    swedish = client.get(f"/events/{event.slug}?lang=sv").get_data(as_text=True)
    assert '<h1 lang="sv">Marknadsdialog om utsläppsfria byggarbetsplatser</h1>' in swedish
    assert '<p class="lead">Kommunene møter leverandørene.</p>' in swedish  # the original, in the page's nb
    assert re.search(r'<section class="event__description prose"[^>]*lang="sv"', swedish)
    assert "Kommunerna möter leverantörerna." in swedish
    assert '<h3 class="agenda__title" lang="sv">Välkommen' in swedish
    assert "<title>Marknadsdialog om utsläppsfria byggarbetsplatser" in swedish

    norwegian = client.get(f"/events/{event.slug}?lang=nb").get_data(as_text=True)
    assert "<h1>Markedsdialog om utslippsfrie byggeplasser</h1>" in norwegian
    assert "Välkommen" not in norwegian

    finnish = client.get(f"/events/{event.slug}?lang=fi").get_data(as_text=True)  # no Finnish: the original
    assert "<h1>Markedsdialog om utslippsfrie byggeplasser</h1>" in finnish

    catalogue = client.get("/?lang=sv").get_data(as_text=True)
    assert 'lang="sv">Marknadsdialog om utsläppsfria byggarbetsplatser</a>' in catalogue
    assert event.slug in client.get("/?q=utsläppsfria").get_data(as_text=True)  # found by its Swedish words


def test_the_event_page_takes_the_same_queries_with_translations(app, client, event, count_queries):
    first_item, second_item = item_ids(app, event.id)
    save(client, event.id, "sv", **SWEDISH, **{f"item_{first_item}": "Välkommen", f"item_{second_item}": "Paus"})
    client = app.test_client()  # a visitor, not signed in
    with count_queries() as counter:
        assert client.get(f"/events/{event.slug}?lang=sv").status_code == 200
    assert counter.count <= 5, counter.statements  # PERFORMANCE.md: at most 5


def test_emptying_every_field_removes_the_translation(app, client, event):
    save(client, event.id, "sv", **SWEDISH)
    response = save(client, event.id, "sv", title="", summary="", description_md="")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalars(db.select(EventTranslation)).all() == []
        assert "utsläppsfria" not in db.session.get(Event, event.id).search_text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "x" * 301}, "Field cannot be longer than 300 characters."),
        ({"summary": "x" * 501}, "Field cannot be longer than 500 characters."),
    ],
)
def test_too_long_texts_are_refused_at_the_field_and_kept(app, client, event, fields, message):
    response = save(client, event.id, "da", **{**SWEDISH, **fields})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert "Kommunerna möter leverantörerna." in page  # what was typed is kept
    with app.app_context():
        assert db.session.scalars(db.select(EventTranslation)).all() == []


def test_a_too_long_agenda_title_is_marked_at_its_field(app, client, event):
    first_item, _ = item_ids(app, event.id)
    response = save(client, event.id, "sv", **SWEDISH, **{f"item_{first_item}": "y" * 301})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert f'id="item_{first_item}-error"' in page
    assert "At most 300 characters." in text_of(page)
    with app.app_context():
        assert db.session.scalars(db.select(EventTranslation)).all() == []


def test_the_events_own_language_is_not_offered(client, event):
    page = client.get(f"/manage/events/{event.id}/translations").get_data(as_text=True)
    assert "translations?into=sv" in page
    assert "translations?into=nb" not in page
    assert save(client, event.id, "nb", **SWEDISH).status_code == 303  # taken as the first other language


def test_the_translations_page_takes_the_same_queries_for_2_or_8_agenda_items(
    app, client, create_event, create_account, log_in, count_queries
):
    owner = create_account("translator@example.org")
    log_in(client, "translator@example.org")
    small = create_event(created_by_id=owner.id, language="nb", agenda=2)
    large = create_event(created_by_id=owner.id, language="nb", agenda=8)
    for event in (small, large):
        ids = item_ids(app, event.id)
        save(client, event.id, "sv", **SWEDISH, **{f"item_{i}": f"Punkt {i}" for i in ids})
    counts = []
    for event in (small, large):
        with count_queries() as counter:
            page = client.get(f"/manage/events/{event.id}/translations?into=sv").get_data(as_text=True)
        assert page.count('value="Punkt ') == len(item_ids(app, event.id))
        counts.append(counter.count)
    assert counts[0] == counts[1], counts
