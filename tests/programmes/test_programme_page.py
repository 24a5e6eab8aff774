"""The public programme page /programmes/<slug>."""

from __future__ import annotations

from eventapp.events.enums import EventStatus
from eventapp.programmes.enums import ProgrammeGroup
from tests.conftest import soon
from tests.events.test_catalogue import section, titles
from tests.registrations.conftest import text_of


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
    # content version, programme with its translation and parent, programmes under it, contacts, partners,
    # people, events, materials of past events; calls: open calls, accepted organisations
    assert ten.count == one.count == 10


def test_programmes_index_groups_programmes_with_their_next_event(client, create_programme, create_event):
    national = create_programme(title="Innovasjonsinnkjøp Norge", group=ProgrammeGroup.NATIONAL)
    create_programme(title="Innovasjonsinnkjøp Vestland", slug="vestland", group=ProgrammeGroup.REGIONAL,
                     parent_id=national.id)  # fmt: skip
    nordic = create_programme(title="Nordic Buyer Dialogues", slug="nordic", group=ProgrammeGroup.NORDIC)
    create_event(programme=national, title="Later webinar", starts_at=soon(20))
    create_event(programme=national, title="Next webinar", starts_at=soon(3))
    create_event(programme=national, title="Draft webinar", starts_at=soon(1), status=EventStatus.DRAFT)
    create_event(programme=national, title="Ended webinar", starts_at=soon(-10))
    create_event(programme=nordic, title="Called off", starts_at=soon(2), status=EventStatus.CANCELLED)

    page = client.get("/programmes")
    assert page.status_code == 200
    text = text_of(page.get_data(as_text=True))
    assert text.index("National programmes") < text.index("Regional programmes") < text.index("Nordic collaboration")
    assert "Research projects" not in text  # a group without programmes is left out
    summary = "A programme for innovative public procurement."  # the factory's
    assert f"Innovasjonsinnkjøp Norge {summary} Next event: Next webinar," in text
    assert f"Innovasjonsinnkjøp Vestland Part of Innovasjonsinnkjøp Norge {summary} No upcoming events" in text
    assert f"Nordic Buyer Dialogues {summary} No upcoming events right now." in text  # cancelled is not next


def test_programme_page_links_to_the_programme_it_is_part_of_and_back(client, create_programme):
    national = create_programme(title="Innovasjonsinnkjøp Norge", group=ProgrammeGroup.NATIONAL)
    create_programme(title="Innovasjonsinnkjøp Vestland", slug="vestland", parent_id=national.id)
    child_page = client.get("/programmes/vestland").get_data(as_text=True)
    assert f'Part of <a href="/programmes/{national.slug}"' in child_page
    parent_page = client.get(f"/programmes/{national.slug}").get_data(as_text=True)
    assert "Programmes under this one" in text_of(parent_page)
    assert '<a href="/programmes/vestland"' in parent_page


def test_programmes_index_query_count_is_fixed(client, create_programme, create_event, count_queries):
    first = create_programme(title="Programme 0", slug="p0")
    create_event(programme=first)
    with count_queries() as one:
        client.get("/programmes")
    for i in range(1, 6):
        programme = create_programme(title=f"Programme {i}", slug=f"p{i}", parent_id=first.id)
        create_event(programme=programme, starts_at=soon(i))
    with count_queries() as six:
        html = client.get("/programmes").get_data(as_text=True)
    assert html.count("Next event:") == 6
    assert six.count == one.count == 4  # content version, programmes with parents, next events, open calls
