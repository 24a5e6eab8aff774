"""The materials section: on the event page once published, in the order of the real webinar pages, with a
player that loads only on request; registered-only materials on an attendee's own page."""

from __future__ import annotations

import re

from eventapp.extensions import db
from eventapp.materials import services as material_services
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.uploads import Upload
from eventapp.registrations import services as registration_services
from tests import sample_files
from tests.materials.material_helpers import add_link, material_ids, publish, upload
from tests.registrations.conftest import text_of

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

pytest_plugins = ["tests.materials.material_fixtures"]  # the webinar and owner_client fixtures


def section_of(html: str) -> str:
    """The materials section's HTML ('' when the page has none)."""
    match = re.search(r'<section class="materials" id="materials".*?</section>', html, re.S)
    return match.group(0) if match else ""


def build_webinar_materials(client, webinar) -> None:
    """What an organiser adds after a webinar, in an order unlike the page's."""
    responses = [
        add_link(client, webinar.id, kind="link", title="Rapport fra DFØ", url="https://www.example.org/rapport"),
        upload(client, webinar.id, sample_files.pdf_bytes("Veileder"), "Veileder for innkjøpere.pdf"),
        add_link(client, webinar.id, kind="board", title="Padlet fra webinaret",
                 url="https://miro.com/app/board/uXjVOabc123=/"),
        upload(client, webinar.id, sample_files.pptx_bytes(), "Innlegg Bergen.pptx", kind="slides",
               title="Slides: Innovation in Bergen", agenda_item_id=str(webinar.item_ids[1]),
               speaker_id=str(webinar.speaker_ids[1])),
        add_link(client, webinar.id, kind="recording", title="Opptak av webinaret", url=YOUTUBE),
        upload(client, webinar.id, sample_files.pdf_bytes("Agenda 1"), "Innlegg 1.pdf", kind="slides",
               title="Slides: Where we start", agenda_item_id=str(webinar.item_ids[0]),
               speaker_id=str(webinar.speaker_ids[0])),
    ]  # fmt: skip
    assert [r.status_code for r in responses] == [303] * 6


def test_published_materials_show_in_the_order_of_the_webinar_pages(owner_client, webinar):
    build_webinar_materials(owner_client, webinar)
    anonymous = owner_client.application.test_client()
    before = anonymous.get(f"/events/{webinar.slug}").get_data(as_text=True)

    assert publish(owner_client, webinar.id).status_code == 303
    response = anonymous.get(f"/events/{webinar.slug}")
    section = section_of(response.get_data(as_text=True))
    text = text_of(section)

    assert section_of(before) == ""  # nothing shows before the owner_client publishes
    order = ["Materials", "Opptak av webinaret", "Agenda item 1", "Speaker 1.1", "Slides: Where we start",
             "Agenda item 2", "Speaker 2.1", "Slides: Innovation in Bergen", "Digital board", "Padlet fra webinaret",
             "Documents", "Veileder for innkjøpere", "Links", "Rapport fra DFØ"]  # fmt: skip
    positions = [text.find(words) for words in order]
    assert -1 not in positions, (order, text)
    assert positions == sorted(positions), text
    assert re.search(r"Veileder for innkjøpere \(PDF, \d+ B\)", text)  # the kind told from the bytes, the size
    assert re.search(r"Slides: Innovation in Bergen \(PowerPoint, \d+ kB\)", text)
    assert 'href="https://miro.com/app/board/uXjVOabc123=/"' in section


def test_the_recording_is_a_link_until_the_visitor_asks_for_the_player(owner_client, webinar):
    add_link(owner_client, webinar.id, kind="recording", title="Opptak", url=YOUTUBE)
    add_link(owner_client, webinar.id, kind="recording", title="Opptak fra salen", url="https://video.example.org/42")
    publish(owner_client, webinar.id)

    response = owner_client.application.test_client().get(f"/events/{webinar.slug}")
    html = response.get_data(as_text=True)
    section = section_of(html)

    # Without JavaScript: a plain link to the video's page; nothing from YouTube is loaded with the page.
    assert '<a class="button video-facade__play" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in section
    assert "Play the recording (loads YouTube)" in section
    assert "<iframe" not in html
    # The script swaps in the privacy-friendly player, which the page's policy allows (and nothing else).
    assert 'data-player="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in section
    assert re.search(r'<script src="/static/js/video\.js\?v=[0-9a-f]+" defer>', html)
    assert (
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
        in (response.headers["Content-Security-Policy"])
    )
    script = owner_client.application.test_client().get("/static/js/video.js")
    assert "youtube-nocookie" in script.get_data(as_text=True)
    script.close()
    # A recording elsewhere is simply linked.
    assert (
        '<a class="button" href="https://video.example.org/42" rel="noopener noreferrer">Watch the recording</a>'
        in (section)
    )


def test_the_event_page_shows_only_published_public_materials(app, owner_client, webinar):
    add_link(owner_client, webinar.id, kind="link", title="For everyone", url="https://www.example.org/a")
    add_link(owner_client, webinar.id, kind="link", title="For attendees", url="https://www.example.org/b",
             visibility="registered")  # fmt: skip
    add_link(owner_client, webinar.id, kind="link", title="For organisers", url="https://www.example.org/c",
             visibility="organisers")  # fmt: skip
    add_link(owner_client, webinar.id, kind="link", title="A draft", url="https://www.example.org/d", published=None)
    upload(owner_client, webinar.id, sample_files.pdf_bytes(), "Withdrawn.pdf", title="Withdrawn file")
    ids = material_ids(app, webinar.id)
    page = f"/manage/events/{webinar.id}/materials"
    from tests.materials.material_helpers import post_form

    post_form(owner_client, page, f"{page}/{ids['Withdrawn file']}/withdraw")
    publish(owner_client, webinar.id)
    anonymous = app.test_client()

    public = text_of(section_of(anonymous.get(f"/events/{webinar.slug}").get_data(as_text=True)))
    attendee = text_of(section_of(anonymous.get(f"/r/{webinar.tokens['emma@example.org']}").get_data(as_text=True)))

    assert "For everyone" in public
    for hidden in ("For attendees", "For organisers", "A draft", "Withdrawn file"):
        assert hidden not in public
    assert "For everyone" in attendee
    assert "For attendees For registered attendees" in attendee  # marked as theirs
    for hidden in ("For organisers", "A draft", "Withdrawn file"):
        assert hidden not in attendee


def test_a_cancelled_registration_no_longer_lists_registered_materials(app, owner_client, webinar):
    add_link(owner_client, webinar.id, kind="link", title="For attendees", url="https://www.example.org/b",
             visibility="registered")  # fmt: skip
    publish(owner_client, webinar.id)
    with app.app_context():
        from eventapp.registrations.queries import by_token

        registration_services.cancel_registration(by_token(webinar.tokens["ola@example.org"]).id)

    page = app.test_client().get(f"/r/{webinar.tokens['ola@example.org']}").get_data(as_text=True)

    assert "This registration is cancelled." in text_of(page)
    assert "For attendees" not in page


def test_hiding_the_section_takes_it_off_the_cached_page(app, owner_client, webinar):
    add_link(owner_client, webinar.id, kind="board", title="Padlet", url="https://padlet.com/example/board")
    publish(owner_client, webinar.id)
    anonymous = app.test_client()
    assert "Padlet" in section_of(anonymous.get(f"/events/{webinar.slug}").get_data(as_text=True))
    from tests.materials.material_helpers import post_form

    post_form(owner_client, webinar.materials_url, f"{webinar.materials_url}/unpublish")

    assert section_of(anonymous.get(f"/events/{webinar.slug}").get_data(as_text=True)) == ""


def test_the_event_page_costs_five_queries_with_2_or_12_materials(app, create_event, create_account,
                                                                     count_queries):  # fmt: skip
    owner = create_account("owner@example.org")
    counts = []
    for size in (2, 12):
        event = create_event(created_by_id=owner.id, agenda=3, speakers_per_item=2)
        with app.app_context():
            from eventapp.accounts.models import User
            from eventapp.agenda.models import AgendaItem

            actor = db.session.get(User, owner.id)
            item_ids = list(db.session.scalars(db.select(AgendaItem.id).where(AgendaItem.event_id == event.id)))
            for n in range(size):
                data = material_services.MaterialData(kind=MaterialKind.SLIDES if n % 2 else MaterialKind.LINK,
                                                      title=f"Material {n}", url="https://www.example.org/x",
                                                      agenda_item_id=item_ids[n % 3],
                                                      visibility=Visibility.PUBLIC)  # fmt: skip
                if n % 2:
                    material_services.create_file_material(
                        event.id, data, Upload(_pdf(n), f"slides-{n}.pdf"), actor=actor
                    )
                else:
                    material_services.create_link_material(event.id, data, actor=actor)
            material_services.publish_materials(event.id, actor=actor)
        with count_queries() as counter:
            html = app.test_client().get(f"/events/{event.slug}").get_data(as_text=True)
        assert text_of(section_of(html)).count("Material ") == size
        counts.append(counter.count)

    # content version, seat counts, event with programme, agenda with speakers, materials with files
    assert counts == [5, 5]


def _pdf(n: int):
    import io

    return io.BytesIO(sample_files.pdf_bytes(f"Slides {n}"))
