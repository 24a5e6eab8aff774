"""The public programme page /programmes/<slug>."""

from __future__ import annotations

from eventapp.events.enums import EventStatus
from tests.conftest import soon
from tests.events.test_catalogue import section, titles


def test_programme_page_shows_description_and_its_own_events(client, create_programme, create_event):
    programme = create_programme(
        slug="skane-network",
        title="Innovationsupphandling Skåne",
        description_md="Ett nätverk för **kommuner** i Skåne.",
        language="sv",
    )
    other = create_programme()
    create_event(title="Välkomna, nyfikna kommuner!", programme=programme, starts_at=soon(10))
    create_event(title="Näringslivsdialog", programme=programme, starts_at=soon(40))
    create_event(title="Last year's meeting", programme=programme, starts_at=soon(-200))
    create_event(title="Draft for later", programme=programme, status=EventStatus.DRAFT)
    create_event(title="Someone else's event", programme=other)

    response = client.get("/programmes/skane-network")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<h1>Innovationsupphandling Skåne</h1>" in html
    assert "<strong>kommuner</strong>" in html
    assert titles(section(html, "upcoming-heading")) == ["Välkomna, nyfikna kommuner!", "Näringslivsdialog"]
    assert titles(section(html, "past-heading")) == ["Last year's meeting"]
    assert "Draft for later" not in html
    assert "Someone else" not in html


def test_programme_without_events_says_so(client, create_programme):
    programme = create_programme()

    html = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)

    assert "No upcoming events in this programme right now." in html
    assert "past-heading" not in html


def test_unknown_programme_is_404(client):
    response = client.get("/programmes/nowhere")

    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_programme_page_query_count_is_fixed(client, create_programme, create_event, count_queries):
    programme = create_programme()
    create_event(programme=programme)
    with count_queries() as one:
        client.get(f"/programmes/{programme.slug}")
    for i in range(9):
        create_event(programme=programme, starts_at=soon(-30 + 7 * i))
    with count_queries() as ten:
        html = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)

    assert len(titles(html)) == 10
    assert ten.count == one.count == 3  # content version, programme, its events
