"""Organisers create and edit programmes in the browser; a programme's creator and administrators may
edit it, nobody else."""

from __future__ import annotations

import pytest

from eventapp.accounts.enums import Role
from eventapp.accounts.models import AuditEntry
from eventapp.events.enums import EventStatus
from eventapp.extensions import db
from eventapp.programmes.models import Programme
from tests.registrations.conftest import csrf_token, text_of

FORM = {
    "title": "Innovasjon Øst",
    "slug": "",
    "summary": "Et nettverk for offentlige innkjøpere i Øst.",
    "description_md": "Vi hjelper **kommuner** med innovative anskaffelser.",
    "website_url": "https://innovasjon-ost.example.org",
    "language": "nb",
}


@pytest.fixture
def organiser(create_account, client, log_in):
    """A signed-in organiser (``client`` is theirs)."""
    user = create_account("organiser@example.org")
    log_in(client, "organiser@example.org")
    return user


def post(client, url: str, **fields: str):
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **FORM, **fields})


def programme(app, **where: object) -> Programme | None:
    with app.app_context():
        row = db.session.scalars(db.select(Programme).filter_by(**where)).one_or_none()
        if row is not None:
            db.session.expunge(row)
        return row


def test_organiser_creates_a_programme_with_a_public_page_that_events_can_choose(app, client, organiser):
    created = post(client, "/manage/programmes/new")
    page = text_of(client.get(created.headers["Location"]).get_data(as_text=True))
    public = client.get("/programmes/innovasjon-ost")
    event_form = client.get("/manage/events/new").get_data(as_text=True)
    listing = text_of(client.get("/manage/programmes").get_data(as_text=True))

    saved = programme(app, slug="innovasjon-ost")  # made from the title
    assert created.status_code == 303
    assert "The programme is saved. Its public page is ready" in page
    assert saved is not None
    assert saved.created_by_id == organiser.id
    assert saved.website_url == "https://innovasjon-ost.example.org"
    assert public.status_code == 200
    assert "<h1>Innovasjon Øst</h1>" in public.get_data(as_text=True)
    assert "<strong>kommuner</strong>" in public.get_data(as_text=True)
    assert f'<option value="{saved.id}">Innovasjon Øst</option>' in event_form
    assert "Innovasjon Øst /programmes/innovasjon-ost 0" in listing
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "programme.created")).one()
        assert entry.actor_id == organiser.id


def test_organiser_edits_their_programme_and_the_public_page_follows(app, client, organiser, create_programme):
    mine = create_programme(slug="skane-network", title="Skåne network", created_by_id=organiser.id)
    client.get("/programmes/skane-network")  # the public page is cached now

    saved = post(client, f"/manage/programmes/{mine.id}/edit", title="Innovationsupphandling Skåne",
                 slug="skane-network", description_md="Ett nätverk för **regionen**.", language="sv")  # fmt: skip
    public = client.get("/programmes/skane-network").get_data(as_text=True)

    assert saved.status_code == 303
    assert "Saved." in text_of(client.get(saved.headers["Location"]).get_data(as_text=True))
    assert "<h1>Innovationsupphandling Skåne</h1>" in public
    assert "<strong>regionen</strong>" in public
    assert programme(app, id=mine.id).language == "sv"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"slug": "Innovasjon Øst!"}, "Web address: Use lower-case letters, digits and hyphens only."),
        ({"slug": "-leading-hyphen"}, "Web address: Use lower-case letters, digits and hyphens only."),
        ({"website_url": "http://innovasjon-ost.example.org"}, "Give a full web address starting with https://"),
        ({"website_url": "javascript:alert(1)"}, "Give a full web address starting with https://"),
        ({"title": ""}, "Title: Give the programme a title."),
    ],
)
def test_invalid_input_is_refused_next_to_the_field_with_the_input_kept(app, client, organiser, fields, message):
    response = post(client, "/manage/programmes/new", **fields)
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert message in text_of(html)
    assert 'value="Et nettverk for offentlige innkjøpere i Øst."' in html  # what was typed is still there
    assert programme(app, title="Innovasjon Øst") is None


def test_a_slug_already_taken_is_refused_on_create_and_on_edit(app, client, organiser, create_programme):
    create_programme(slug="innovasjon-ost", title="Someone else's programme")
    mine = create_programme(slug="mine", title="Mine", created_by_id=organiser.id)

    new = post(client, "/manage/programmes/new")  # the slug made from the title is taken
    edit = post(client, f"/manage/programmes/{mine.id}/edit", slug="innovasjon-ost")

    for response in (new, edit):
        assert response.status_code == 400
        assert "Web address: Another programme already has this address. Choose another." in text_of(
            response.get_data(as_text=True)
        )
    assert programme(app, id=mine.id).slug == "mine"


def test_another_organiser_gets_403_on_the_edit_page_and_an_admin_may_edit(
    app, client, organiser, create_account, create_programme, log_in
):
    theirs = create_programme(slug="theirs", title="Their programme", created_by_id=organiser.id)
    create_account("other@example.org")
    create_account("admin@example.org", role=Role.ADMIN)
    other, admin = app.test_client(), app.test_client()
    log_in(other, "other@example.org")
    log_in(admin, "admin@example.org")

    other_get = other.get(f"/manage/programmes/{theirs.id}/edit")
    other_post = post(other, f"/manage/programmes/{theirs.id}/edit", title="Taken over", slug="theirs")
    other_list = text_of(other.get("/manage/programmes").get_data(as_text=True))
    admin_post = post(admin, f"/manage/programmes/{theirs.id}/edit", title="Renamed by the admin", slug="theirs")

    assert other_get.status_code == 403
    assert other_post.status_code == 403
    assert "Their programme" not in other_list
    assert "You do not manage any programmes yet." in other_list
    assert admin_post.status_code == 303
    assert programme(app, id=theirs.id).title == "Renamed by the admin"
    assert client.get("/manage/programmes/999999/edit").status_code == 404


def test_changing_the_address_of_a_programme_with_public_events_asks_first(
    app, client, organiser, create_programme, create_event
):
    mine = create_programme(slug="nordic-dialogue", title="Nordic dialogue", created_by_id=organiser.id)
    create_event(programme=mine, status=EventStatus.PUBLISHED)
    url = f"/manage/programmes/{mine.id}/edit"

    asked = post(client, url, title="Nordic dialogue", slug="nordic-buyer-dialogue")
    after_asking = programme(app, id=mine.id).slug
    kept = post(client, url, title="Nordic dialogue 2026", slug="nordic-buyer-dialogue", slug_change="keep")
    after_keeping = programme(app, id=mine.id)
    changed = post(client, url, title="Nordic dialogue", slug="nordic-buyer-dialogue", slug_change="yes")

    assert asked.status_code == 200
    assert "Change the web address?" in text_of(asked.get_data(as_text=True))
    assert "people may have shared the address /programmes/nordic-dialogue" in text_of(asked.get_data(as_text=True))
    assert after_asking == "nordic-dialogue"
    assert kept.status_code == 303
    assert (after_keeping.slug, after_keeping.title) == ("nordic-dialogue", "Nordic dialogue 2026")
    assert changed.status_code == 303
    assert programme(app, id=mine.id).slug == "nordic-buyer-dialogue"
    assert client.get("/programmes/nordic-buyer-dialogue").status_code == 200
    assert client.get("/programmes/nordic-dialogue").status_code == 404


def test_a_programme_without_public_events_changes_its_address_at_once(app, client, organiser, create_programme):
    mine = create_programme(slug="draft-programme", title="Draft programme", created_by_id=organiser.id)

    response = post(client, f"/manage/programmes/{mine.id}/edit", title="Draft programme", slug="better-name")

    assert response.status_code == 303
    assert programme(app, id=mine.id).slug == "better-name"


def test_description_preview_renders_without_saving(app, client, organiser):
    response = post(client, "/manage/programmes/new", preview="1", description_md="**Viktig** <script>x</script>")
    html = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<strong>Viktig</strong>" in html
    assert "<script>x</script>" not in html
    assert programme(app, title="Innovasjon Øst") is None


def test_programme_list_query_count_is_fixed(client, organiser, create_programme, create_event, count_queries):
    first = create_programme(created_by_id=organiser.id)
    create_event(programme=first)
    with count_queries() as one:
        client.get("/manage/programmes")
    for _ in range(2):
        create_event(programme=create_programme(created_by_id=organiser.id))
    with count_queries() as three:
        html = text_of(client.get("/manage/programmes").get_data(as_text=True))

    assert html.count("/programmes/programme-") == 3
    assert three.count == one.count


def test_organiser_files_a_programme_under_a_group_and_a_parent_and_the_index_follows(
    app, client, organiser, create_programme
):
    national = create_programme(slug="norge", title="Innovasjonsinnkjøp Norge")
    mine = create_programme(slug="vestland", title="Innovasjonsinnkjøp Vestland", created_by_id=organiser.id)

    saved = post(client, f"/manage/programmes/{mine.id}/edit", title="Innovasjonsinnkjøp Vestland",
                 slug="vestland", group="regional", parent_id=str(national.id))  # fmt: skip

    assert saved.status_code == 303
    index = text_of(client.get("/programmes").get_data(as_text=True))
    assert "Regional programmes Innovasjonsinnkjøp Vestland Part of Innovasjonsinnkjøp Norge" in index
    assert programme(app, id=mine.id).parent_id == national.id


def test_a_programme_cannot_be_put_under_itself_or_its_own_parts(app, client, organiser, create_programme):
    top = create_programme(slug="top", title="Top", created_by_id=organiser.id)
    middle = create_programme(slug="middle", title="Middle", parent_id=top.id, created_by_id=organiser.id)
    create_programme(slug="bottom", title="Bottom", parent_id=middle.id)
    bottom = programme(app, slug="bottom")

    circle = post(client, f"/manage/programmes/{top.id}/edit", title="Top", slug="top", parent_id=str(bottom.id))
    itself = post(client, f"/manage/programmes/{top.id}/edit", title="Top", slug="top", parent_id=str(top.id))
    forged = post(client, f"/manage/programmes/{top.id}/edit", title="Top", slug="top", parent_id="99999")

    assert circle.status_code == 400
    assert "A programme cannot be part of itself or of one of its own parts." in text_of(circle.get_data(as_text=True))
    assert itself.status_code == 400  # not even offered: the list leaves the programme itself out
    assert forged.status_code == 400
    assert programme(app, id=top.id).parent_id is None


def test_a_services_refusal_is_shown_in_the_language_of_the_page(app, client, organiser):
    """The service raises ValidationFailed with a lazy string; it is rendered when the page is drawn, in
    the page's language (here Norwegian bokmål, chosen with ?lang=nb)."""
    token = csrf_token(client.get("/manage/?lang=nb").get_data(as_text=True))
    response = client.post("/manage/programmes/new", data={"csrf_token": token, **FORM, "slug": "Innovasjon Øst!"})

    assert response.status_code == 400
    assert "Bruk bare små bokstaver (a–z), sifre og bindestreker." in text_of(response.get_data(as_text=True))
    assert programme(app, title="Innovasjon Øst") is None
