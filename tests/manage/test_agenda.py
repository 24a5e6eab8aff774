"""The agenda editor: slots in the event's time zone, speakers, order, and warnings."""

from __future__ import annotations

import pytest

from eventapp.agenda.models import AgendaItem
from eventapp.extensions import db
from eventapp.speakers.models import Speaker
from tests.conftest import at
from tests.registrations.conftest import csrf_token, text_of


@pytest.fixture
def event_and_page(client, create_account, log_in, create_event):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    event = create_event(created_by_id=owner.id, starts_at=at(2031, 3, 4, 9, 0, tz="Europe/Oslo"),
                         ends_at=at(2031, 3, 4, 11, 0, tz="Europe/Oslo"))  # fmt: skip
    return event, f"/manage/events/{event.id}/agenda"


def add(client, url: str, **fields):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(f"{url}/items", data={"csrf_token": token, "kind": "talk", **fields})


def test_slots_and_speakers_are_added_in_the_events_own_time_and_shown_publicly(app, client, event_and_page):
    event, url = event_and_page
    token = csrf_token(client.get(url).get_data(as_text=True))
    speaker = {"csrf_token": token, "name": "Åsa Lindqvist", "job_title": "Upphandlare", "organisation": "Malmö stad"}
    client.post(f"/manage/events/{event.id}/speakers", data=speaker)
    with app.app_context():
        speaker_id = db.session.scalars(db.select(Speaker.id).where(Speaker.event_id == event.id)).one()

    response = add(client, url, title="Hvorfor innovasjon?", starts_at="2031-03-04T09:00",
                   ends_at="2031-03-04T09:20", speaker_ids=str(speaker_id))  # fmt: skip

    assert response.status_code == 303
    with app.app_context():
        item = db.session.scalars(db.select(AgendaItem)).one()
        assert item.starts_at == at(2031, 3, 4, 9, 0, tz="Europe/Oslo")
    public = text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))
    assert "09:00–09:20 Hvorfor innovasjon? Åsa Lindqvist, Upphandlare, Malmö stad" in public


def test_overlaps_and_slots_outside_the_event_are_warned_about(client, event_and_page):
    _event, url = event_and_page
    add(client, url, title="Opening", starts_at="2031-03-04T09:00", ends_at="2031-03-04T09:30")
    add(client, url, title="Panel", starts_at="2031-03-04T09:20", ends_at="2031-03-04T10:00")
    add(client, url, title="Late chat", starts_at="2031-03-04T10:45", ends_at="2031-03-04T11:30")

    page = text_of(client.get(url).get_data(as_text=True))

    assert "“Opening” and “Panel” overlap." in page
    assert "“Late chat” is outside the event's time." in page


def test_reordering_and_removing(app, client, event_and_page):
    _event, url = event_and_page
    for title, start, end in (("First", "09:00", "09:20"), ("Second", "09:30", "09:50"), ("Third", "10:00", "10:20")):
        assert (
            add(client, url, title=title, starts_at=f"2031-03-04T{start}", ends_at=f"2031-03-04T{end}").status_code
            == 303
        )
    with app.app_context():
        ids = {i.title: i.id for i in db.session.scalars(db.select(AgendaItem))}
    token = csrf_token(client.get(url).get_data(as_text=True))

    client.post(f"{url}/items/{ids['Third']}/move", data={"csrf_token": token, "direction": "up"})
    client.post(f"{url}/items/{ids['First']}/remove", data={"csrf_token": token})

    with app.app_context():
        order = [i.title for i in db.session.scalars(db.select(AgendaItem).order_by(AgendaItem.position))]
    assert order == ["Third", "Second"]


def test_bad_slots_are_refused_with_the_input_kept(client, event_and_page):
    _event, url = event_and_page

    backwards = add(client, url, title="Backwards", starts_at="2031-03-04T10:00", ends_at="2031-03-04T09:00")
    missing = add(client, url, title="", starts_at="2031-03-04T10:00", ends_at="2031-03-04T11:00")

    assert backwards.status_code == 400
    assert "The slot must end after it starts." in text_of(backwards.get_data(as_text=True))
    assert 'value="Backwards"' in backwards.get_data(as_text=True)
    assert missing.status_code == 400
    assert "Give the slot a title." in text_of(missing.get_data(as_text=True))
    year_one = add(client, url, title="Year one", starts_at="0001-01-01T00:00", ends_at="2031-03-04T11:00")
    assert year_one.status_code == 400  # not a server error: year 1 cannot be moved into UTC
    assert "Give a date between the years 2000 and 2199." in text_of(year_one.get_data(as_text=True))


def test_back_office_pages_use_the_same_number_of_queries_for_1_and_10_slots(
    client, create_account, log_in, create_event, count_queries, add_manager
):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    counts = {}
    for size in (1, 10):
        event = create_event(created_by_id=owner.id, agenda=size, speakers_per_item=2)
        for i in range(size):
            add_manager(event.id, create_account(f"m{size}-{i}@example.org").id)
        for page in ("agenda", "team", "registrations", "check-in", "edit"):
            with count_queries() as counter:
                assert client.get(f"/manage/events/{event.id}/{page}").status_code == 200
            counts[(page, size)] = counter.count

    for page in ("agenda", "team", "registrations", "check-in", "edit"):
        assert counts[(page, 1)] == counts[(page, 10)], (page, counts)
