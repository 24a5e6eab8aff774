"""The public event page /events/<slug>."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.models import AgendaItem
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.extensions import db
from eventapp.speakers.models import Speaker
from tests.conftest import at


def text_of(html: str) -> str:
    """The page as a person reads it: tags dropped, whitespace collapsed."""
    inline_dropped = re.sub(r"</?(?:time|span|strong|em|a|abbr)\b[^>]*>", "", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", inline_dropped)).strip()


def test_oslo_event_shows_its_facts_in_oslo_time(client, create_event, dummy_programme):
    event = create_event(
        title="Innovative anskaffelser og bærekraftsmålene",
        kind=EventKind.WEBINAR,
        starts_at=at(2030, 12, 13, 9, 0, tz="Europe/Oslo"),
        ends_at=at(2030, 12, 13, 11, 0, tz="Europe/Oslo"),
        description_md="Vi snakker om **bærekraft**.",
        language="nb",
        programme=dummy_programme,
    )

    response = client.get(f"/events/{event.slug}")
    html = response.get_data(as_text=True)
    page = text_of(html)

    assert response.status_code == 200
    assert "<h1>Innovative anskaffelser og bærekraftsmålene</h1>" in html
    assert "Webinar" in page
    assert "When Friday, 13 December 2030 09:00–11:00 Central European Standard Time" in page
    assert "Duration 2 hours" in page
    assert "Format Online" in page
    assert "Where Online" in page
    assert "Language Norwegian Bokmål" in page
    assert "<strong>bærekraft</strong>" in html
    assert dummy_programme.title in page
    assert '<article class="event" lang="nb">' in html  # screen readers read the title in Norwegian


def test_helsinki_event_is_shown_in_helsinki_time(client, create_event):
    event = create_event(
        timezone="Europe/Helsinki",
        starts_at=at(2030, 6, 12, 13, 0, tz="Europe/Helsinki"),
        ends_at=at(2030, 6, 12, 14, 30, tz="Europe/Helsinki"),
        format=EventFormat.IN_PERSON,
        venue_name="Kaupungintalo",
        venue_address="Pohjoisesplanadi 11–13, 00170 Helsinki",
    )

    page = text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))

    assert "Wednesday, 12 June 2030 13:00–14:30 Eastern European Summer Time" in page
    assert "Duration 1 hour 30 minutes" in page
    assert "Where Kaupungintalo Pohjoisesplanadi 11–13, 00170 Helsinki" in page
    assert "join link" not in page


def test_night_dst_ends_names_both_zones_and_counts_real_time(client, create_event):
    # 25 October 2026: Oslo's clocks go from 03:00 CEST back to 02:00 CET. 02:30 happens twice.
    event = create_event(
        title="Night hackathon",
        starts_at=at(2026, 10, 25, 0, 30),  # 02:30 CEST, the first 02:30
        ends_at=at(2026, 10, 25, 1, 30),  # 02:30 CET, the second, one real hour later
    )

    page = text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))

    assert "Sunday, 25 October 2026 02:30 Central European Summer Time – 02:30 Central European Standard Time" in page
    assert "Duration 1 hour" in page


def test_multi_day_conference_shows_both_days_and_groups_the_agenda(client, app, create_event):
    event = create_event(
        kind=EventKind.CONFERENCE,
        format=EventFormat.HYBRID,
        venue_name="Clarion Hotel",
        starts_at=at(2031, 9, 2, 9, 0, tz="Europe/Oslo"),
        ends_at=at(2031, 9, 3, 16, 0, tz="Europe/Oslo"),
    )
    with app.app_context():
        for position, (day, title) in enumerate([(2, "Day one keynote"), (3, "Day two pilots")]):
            db.session.add(
                AgendaItem(
                    event_id=event.id,
                    position=position,
                    title=title,
                    starts_at=at(2031, 9, day, 9, 0, tz="Europe/Oslo"),
                    ends_at=at(2031, 9, day, 10, 0, tz="Europe/Oslo"),
                )
            )
        db.session.commit()

    page = text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))

    assert "When Tuesday, 2 September 2031, 09:00 – Wednesday, 3 September 2031, 16:00" in page
    assert "Where Clarion Hotel and online" in page
    assert page.index("Tuesday, 2 September 2031 09:00–10:00 Day one keynote") < page.index(
        "Wednesday, 3 September 2031 09:00–10:00 Day two pilots"
    )


def test_agenda_in_order_with_speakers_titles_and_organisations(client, app, create_event):
    event = create_event(starts_at=at(2030, 12, 13, 9, 0, tz="Europe/Oslo"))
    start = at(2030, 12, 13, 9, 0, tz="Europe/Oslo")
    with app.app_context():
        moderator = Speaker(event_id=event.id, name="Åsa Lindqvist", job_title="Moderator", organisation="Region Skåne")
        panellist = Speaker(
            event_id=event.id, name="Øystein Ærlig", job_title="Innkjøpssjef", organisation="Bergen kommune"
        )
        welcome = AgendaItem(
            event_id=event.id, position=0, title="Welcome", starts_at=start, ends_at=start + timedelta(minutes=10)
        )
        panel = AgendaItem(
            event_id=event.id,
            position=2,
            title="Panel: what we learnt",
            kind=AgendaItemKind.PANEL,
            starts_at=start + timedelta(minutes=25),
            ends_at=start + timedelta(minutes=55),
        )
        pause = AgendaItem(
            event_id=event.id,
            position=1,
            title="Coffee",
            kind=AgendaItemKind.BREAK,
            starts_at=start + timedelta(minutes=10),
            ends_at=start + timedelta(minutes=25),
        )
        welcome.speakers.append(moderator)
        panel.speakers.extend([moderator, panellist])
        db.session.add_all([welcome, panel, pause])
        db.session.commit()

    html = client.get(f"/events/{event.slug}").get_data(as_text=True)
    page = text_of(html)

    assert "Times are in Central European Standard Time." in page
    assert "09:00–09:10 Welcome Åsa Lindqvist, Moderator, Region Skåne" in page
    assert "09:10–09:25 Coffee Break" in page
    assert (
        "09:25–09:55 Panel: what we learnt Panel Åsa Lindqvist, Moderator, Region Skåne "
        "Øystein Ærlig, Innkjøpssjef, Bergen kommune" in page
    )
    assert page.index("Welcome") < page.index("Coffee") < page.index("Panel: what we learnt")
    assert "@example.org" not in html  # speakers' emails never reach public pages


def test_join_link_is_never_on_the_public_page(client, create_event):
    event = create_event(online_url="https://meet.example.org/secret-room-42")

    html = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert "secret-room-42" not in html
    assert "The join link is sent to registered attendees." in html


def test_description_is_sanitised(client, create_event):
    event = create_event(
        description_md='Hello <script>alert("x")</script> [click](javascript:alert(1)) [ok](https://example.org)'
    )

    html = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert "<script>alert" not in html
    assert "javascript:" not in html
    assert '<a href="https://example.org" rel="noopener noreferrer">ok</a>' in html


def test_draft_event_is_404_and_unknown_slug_too(client, create_event):
    draft = create_event(status=EventStatus.DRAFT, title="Not yet")

    for slug in (draft.slug, "no-such-event"):
        response = client.get(f"/events/{slug}")
        assert response.status_code == 404
        assert "Page not found" in response.get_data(as_text=True)
        assert "Not yet" not in response.get_data(as_text=True)


def test_cancelled_event_keeps_its_page_with_a_notice(client, create_event):
    event = create_event(status=EventStatus.CANCELLED, online_url="https://meet.example.org/x")

    response = client.get(f"/events/{event.slug}")
    page = text_of(response.get_data(as_text=True))

    assert response.status_code == 200
    assert "This event has been cancelled." in page
    assert "The join link is sent" not in page


@pytest.mark.parametrize("items", [1, 20])
def test_event_page_query_count_is_fixed(client, create_event, count_queries, items):
    event = create_event(agenda=items, speakers_per_item=3)

    with count_queries() as counter:
        html = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert html.count('class="speaker__name"') == items * 3
    # content version, seat counts, event with programme, agenda items, speakers with their links
    assert counter.count <= 5, counter.statements  # PERFORMANCE.md: at most 5, whatever the size


def test_a_webinar_with_ten_talks_ten_decks_a_recording_and_a_board_keeps_the_query_budget(
    app, client, create_event, count_queries
):
    """Issue 16: the page after the event, with every speaker's slides next to their talk."""
    import io

    from eventapp.accounts.services import create_user
    from eventapp.extensions import db
    from eventapp.materials import services as material_services
    from eventapp.materials.enums import MaterialKind
    from eventapp.materials.uploads import Upload
    from eventapp.speakers.models import Speaker
    from tests.sample_files import pdf_bytes

    event = create_event(agenda=10, speakers_per_item=1)
    with app.app_context():
        owner = create_user(email="owner.ten@example.org", password="correct horse battery", name="Owner")
        speakers = db.session.scalars(db.select(Speaker).where(Speaker.event_id == event.id)).all()
        for speaker in speakers:
            item_id = speaker.agenda_links[0].agenda_item_id
            material_services.create_file_material(
                event.id,
                material_services.MaterialData(kind=MaterialKind.SLIDES, title=f"Webinar – {speaker.organisation}",
                                               agenda_item_id=item_id, speaker_id=speaker.id),
                Upload(io.BytesIO(pdf_bytes(speaker.name)), f"{speaker.organisation}.pdf"), actor=owner,
            )  # fmt: skip
        for kind, url in ((MaterialKind.RECORDING, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
                          (MaterialKind.BOARD, "https://padlet.com/example/board")):  # fmt: skip
            material_services.create_link_material(
                event.id, material_services.MaterialData(kind=kind, title=kind.label, url=url), actor=owner
            )
        material_services.publish_materials(event.id, actor=owner)
    client.get(f"/events/{event.slug}")  # the page cache is per process: measure the page as drawn

    app.extensions["eventapp.pagecache"].clear()
    with count_queries() as counter:
        html = client.get(f"/events/{event.slug}").get_data(as_text=True)

    assert html.count('class="agenda__slides"') == 10  # each talk's slides next to it
    assert html.count('class="speaker__name"') == 10
    assert "padlet.com/example/board" in html
    assert counter.count <= 5, counter.statements
