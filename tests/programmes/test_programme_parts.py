"""What a programme page tells beyond its events: goals and target groups, partners and funders, its people,
the materials of its past events; and the back-office pages where organisers keep partners and people."""

from __future__ import annotations

import io
import re

import pytest

from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.materials import services as material_services
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.uploads import Upload
from eventapp.programmes.enums import PartnerKind, PersonGroup
from eventapp.programmes.models import ProgrammePartner, ProgrammePerson
from tests.conftest import soon
from tests.registrations.conftest import csrf_token, text_of
from tests.sample_files import pdf_bytes


def add_parts(app, programme_id: int, *, partners=(), people=()) -> None:
    """Partners as (kind, name, url, position), people as (group, name, role, organisation, position)."""
    with app.app_context():
        for kind, name, url, position in partners:
            db.session.add(
                ProgrammePartner(programme_id=programme_id, kind=kind, name=name, url=url, position=position)
            )
        for group, name, role, organisation, position in people:
            db.session.add(ProgrammePerson(programme_id=programme_id, group=group, name=name, role=role,
                                           organisation=organisation, position=position))  # fmt: skip
        db.session.commit()


def section(html: str, heading_id: str) -> str:
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', html, re.S)
    return match.group(0) if match else ""


def test_programme_page_shows_goals_target_groups_people_partners_and_funders(app, client, create_programme):
    programme = create_programme(slug="nordic", goals_md="- Joint dialogues\n- Better buying",
                                 target_groups_md="Public buyers in the **Nordic** countries.")  # fmt: skip
    add_parts(app, programme.id, partners=[
        (PartnerKind.FUNDER, "Nordic Innovation (demo)", "https://funder.example.org/", 1),
        (PartnerKind.PARTNER, "Second partner", "", 2),
        (PartnerKind.PARTNER, "First partner", "http://partner.example.org", 1),
    ], people=[
        (PersonGroup.BOARD, "Bo Berg", "Member", "Region Skåne", 2),
        (PersonGroup.BOARD, "Anna Ahl", "Chair", "", 1),
        (PersonGroup.PROJECT_LEAD, "Per Hansen", "Project lead", "Innovasjonsetaten", 1),
        (PersonGroup.STEERING_GROUP, "Sofie Dahl", "", "Indkøbsforum", 1),
    ])  # fmt: skip

    html = client.get("/programmes/nordic?lang=en").get_data(as_text=True)
    text = text_of(html)

    assert "Goals Joint dialogues Better buying" in text
    assert "Target groups Public buyers in the Nordic countries." in text
    assert text_of(section(html, "partners-heading")) == "Partners First partner Second partner"
    assert '<a href="http://partner.example.org" rel="noopener noreferrer">First partner</a>' in html
    assert text_of(section(html, "funders-heading")) == "Funded by Nordic Innovation (demo)"
    assert text_of(section(html, "people-heading")) == (
        "Who runs the programme Project management Per Hansen, Project lead, Innovasjonsetaten "
        "Board Anna Ahl, Chair Bo Berg, Member, Region Skåne Steering group Sofie Dahl, Indkøbsforum"
    )


def test_a_programme_without_them_shows_none_of_those_sections(client, create_programme):
    programme = create_programme()
    html = client.get(f"/programmes/{programme.slug}").get_data(as_text=True)
    for heading in ("goals-heading", "target-groups-heading", "partners-heading", "funders-heading",
                    "people-heading", "past-materials-heading"):  # fmt: skip
        assert heading not in html


def _owner(app) -> User:
    return db.session.get(User, db.session.scalars(db.select(User.id)).first())


def add_materials(app, event_id: int, owner_id: int, *, publish: bool = True) -> None:
    """A public PDF, a public link and a registered-only link; published (materials section shown)."""
    with app.app_context():
        actor = db.session.get(User, owner_id)
        material_services.create_file_material(
            event_id, material_services.MaterialData(kind=MaterialKind.DOCUMENT, title="Slides from the day"),
            Upload(io.BytesIO(pdf_bytes()), "slides.pdf"), actor=actor,
        )  # fmt: skip
        material_services.create_link_material(event_id, material_services.MaterialData(
            kind=MaterialKind.LINK, title="Report", url="https://report.example.org/"), actor=actor)  # fmt: skip
        material_services.create_link_material(event_id, material_services.MaterialData(
            kind=MaterialKind.LINK, title="Attendees only", url="https://secret.example.org/",
            visibility=Visibility.REGISTERED), actor=actor)  # fmt: skip
        if publish:
            material_services.publish_materials(event_id, actor=actor)


def test_published_materials_of_past_events_are_listed_by_event(app, client, create_programme, create_event,
                                                                 create_account):  # fmt: skip
    owner = create_account("owner@example.org")
    programme = create_programme(slug="with-materials")
    shared = create_event(programme=programme, title="Kick-off", starts_at=soon(-30))
    unpublished = create_event(programme=programme, title="Quiet one", starts_at=soon(-20))
    create_event(programme=programme, title="Nothing added", starts_at=soon(-10))
    add_materials(app, shared.id, owner.id)
    add_materials(app, unpublished.id, owner.id, publish=False)

    html = client.get("/programmes/with-materials?lang=en").get_data(as_text=True)
    part = section(html, "past-materials-heading")

    assert re.sub(r"\(PDF, \d+ B\)", "(PDF)", text_of(part)) == (
        "Materials from past events Kick-off Slides from the day (PDF) Report"
    )  # the event page's order: documents, then links
    assert f'<a href="/events/{shared.slug}#materials"' in part
    assert 'href="https://report.example.org/"' in part
    assert re.search(r'href="/materials/\d+/slides.pdf" type="application/pdf"', part)
    assert "secret.example.org" not in html
    assert "Quiet one" not in text_of(part)


# --- the back office ---------------------------------------------------------------------------------


@pytest.fixture
def owner(create_account, client, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def _post(client, path: str, **fields: str):
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **fields})


def test_an_organiser_adds_orders_edits_and_removes_partners(app, client, owner, create_programme):
    programme = create_programme(slug="mine", created_by_id=owner.id)
    base = f"/manage/programmes/{programme.id}/partners"
    assert client.get(base).status_code == 200
    assert _post(client, base, kind="partner", name="Later", url="", position="").status_code == 303
    assert (
        _post(client, base, kind="partner", name="Earlier", url="https://a.example.org", position="0").status_code
        == 303
    )
    assert (
        _post(client, base, kind="funder", name="Fund", url="http://fund.example.org", position="").status_code == 303
    )
    listing = text_of(client.get(f"{base}?added=1").get_data(as_text=True))
    assert "The organisation is added." in listing
    public = client.get("/programmes/mine?lang=en").get_data(as_text=True)
    assert text_of(section(public, "partners-heading")) == "Partners Earlier Later"
    assert text_of(section(public, "funders-heading")) == "Funded by Fund"

    with app.app_context():
        later = db.session.scalars(db.select(ProgrammePartner).filter_by(name="Later")).one()
        assert later.position == 1  # after the others (none yet had a place)
    edit = client.get(f"{base}/{later.id}")
    assert edit.status_code == 200
    assert 'value="Later"' in edit.get_data(as_text=True)
    assert _post(client, f"{base}/{later.id}", kind="funder", name="Later fund", url="", position="").status_code == 303
    with app.app_context():
        assert db.session.get(ProgrammePartner, later.id).position == 1  # no order given: its place is kept
    public = client.get("/programmes/mine?lang=en").get_data(as_text=True)
    assert text_of(section(public, "funders-heading")) == "Funded by Later fund Fund"

    assert _post(client, f"{base}/{later.id}/remove").status_code == 303
    assert "Later fund" not in client.get("/programmes/mine").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Give the name."),
        ({"name": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"name": "Evil\r\nBcc: x@example.org"}, "line breaks and invisible control characters"),
        ({"url": "javascript:alert(1)"}, "Give a full web address starting with https:// or http://"),
        ({"url": "data:text/html,<script>alert(1)</script>"}, "Give a full web address starting with https://"),
        ({"url": "ftp://files.example.org"}, "Give a full web address starting with https://"),
        ({"url": "https://"}, "Give a full web address starting with https://"),
        ({"url": "https://example.org/a b"}, "Give a full web address starting with https://"),
        ({"url": "https://example.org/" + "a" * 500}, "Field cannot be longer than 500 characters."),
        ({"url": "https://example.org/\r\nx"}, "line breaks and invisible control characters"),
        ({"position": "-1"}, "Give a whole number from 0 to 9999."),
        ({"position": "99999999999999999999"}, "Give a whole number from 0 to 9999."),
        ({"position": "first"}, "Not a valid integer value."),
        ({"kind": "sponsor"}, "Not a valid choice"),
    ],
)
def test_bad_partner_details_are_refused_with_a_message(app, client, owner, create_programme, fields, message):
    programme = create_programme(slug="mine", created_by_id=owner.id)
    good = {"kind": "partner", "name": "Partner", "url": "https://partner.example.org", "position": ""}
    answer = _post(client, f"/manage/programmes/{programme.id}/partners", **{**good, **fields})
    assert answer.status_code == 400
    assert message.casefold() in text_of(answer.get_data(as_text=True)).casefold()
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammePartner)).first() is None


def test_an_organiser_keeps_the_programmes_people(app, client, owner, create_programme):
    programme = create_programme(slug="mine", created_by_id=owner.id)
    base = f"/manage/programmes/{programme.id}/people"
    assert client.get(base).status_code == 200
    person = {"group": "board", "name": "Anna Ahl", "role": "Chair", "organisation": "Region Skåne", "position": ""}
    assert _post(client, base, **person).status_code == 303
    assert (
        _post(client, base, **{**person, "group": "project_lead", "name": "Per Hansen", "role": ""}).status_code == 303
    )
    public = text_of(client.get("/programmes/mine?lang=en").get_data(as_text=True))
    assert "Project management Per Hansen, Region Skåne Board Anna Ahl, Chair, Region Skåne" in public

    with app.app_context():
        anna = db.session.scalars(db.select(ProgrammePerson).filter_by(name="Anna Ahl")).one()
    assert client.get(f"{base}/{anna.id}").status_code == 200
    moved = {**person, "group": "steering_group", "role": "Member"}
    assert _post(client, f"{base}/{anna.id}", **moved).status_code == 303
    public = text_of(client.get("/programmes/mine?lang=en").get_data(as_text=True))
    assert "Steering group Anna Ahl, Member, Region Skåne" in public
    assert _post(client, f"{base}/{anna.id}/remove").status_code == 303
    assert "Anna Ahl" not in client.get("/programmes/mine").get_data(as_text=True)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "Give the name."),
        ({"role": "r" * 201}, "Field cannot be longer than 200 characters."),
        ({"organisation": "Org\x07"}, "line breaks and invisible control characters"),
        ({"name": "Line\nbreak"}, "line breaks and invisible control characters"),
        ({"group": "king"}, "Not a valid choice"),
        ({"position": "10000"}, "Give a whole number from 0 to 9999."),
    ],
)
def test_bad_person_details_are_refused_with_a_message(app, client, owner, create_programme, fields, message):
    programme = create_programme(slug="mine", created_by_id=owner.id)
    good = {"group": "board", "name": "Anna", "role": "", "organisation": "", "position": ""}
    answer = _post(client, f"/manage/programmes/{programme.id}/people", **{**good, **fields})
    assert answer.status_code == 400
    assert message.casefold() in text_of(answer.get_data(as_text=True)).casefold()
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammePerson)).first() is None


def test_only_those_who_manage_the_programme_touch_its_partners_and_people(app, client, create_programme,
                                                                            create_account, log_in):  # fmt: skip
    owner = create_account("owner@example.org")
    programme = create_programme(slug="theirs", created_by_id=owner.id)
    add_parts(app, programme.id, partners=[(PartnerKind.PARTNER, "P", "", 1)],
              people=[(PersonGroup.BOARD, "B", "", "", 1)])  # fmt: skip
    with app.app_context():
        partner_id = db.session.scalars(db.select(ProgrammePartner.id)).one()
        person_id = db.session.scalars(db.select(ProgrammePerson.id)).one()
    create_account("stranger@example.org")
    log_in(client, "stranger@example.org")
    base = f"/manage/programmes/{programme.id}"
    for url in (f"{base}/partners", f"{base}/partners/{partner_id}", f"{base}/people", f"{base}/people/{person_id}",
                f"{base}/translations"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert _post(client, f"{base}/partners/{partner_id}/remove").status_code == 403
    assert _post(client, f"{base}/people/{person_id}/remove").status_code == 403
    with app.app_context():
        assert db.session.get(ProgrammePartner, partner_id) is not None
        assert db.session.get(ProgrammePerson, person_id) is not None


def test_ids_of_another_programme_or_none_at_all_are_404(app, client, owner, create_programme):
    mine = create_programme(slug="mine", created_by_id=owner.id)
    other = create_programme(slug="other", created_by_id=owner.id)
    add_parts(app, other.id, partners=[(PartnerKind.PARTNER, "P", "", 1)], people=[(PersonGroup.BOARD, "B", "", "", 1)])
    with app.app_context():
        partner_id = db.session.scalars(db.select(ProgrammePartner.id)).one()
        person_id = db.session.scalars(db.select(ProgrammePerson.id)).one()
    base = f"/manage/programmes/{mine.id}"
    assert client.get(f"{base}/partners/{partner_id}").status_code == 404
    assert client.get(f"{base}/people/{person_id}").status_code == 404
    assert _post(client, f"{base}/partners/{partner_id}/remove").status_code == 404
    assert _post(client, f"{base}/people/{person_id}/remove").status_code == 404
    assert client.get(f"{base}/partners/99999999").status_code == 404
    assert client.get(f"{base}/partners/99999999999999").status_code == 404  # beyond the int converter
    assert client.get(f"{base}/people/-1").status_code == 404
    assert client.get("/manage/programmes/99999999/partners").status_code == 404
    assert client.get("/manage/programmes/99999999/translations").status_code == 404


def test_removing_without_the_csrf_token_is_refused(app, client, owner, create_programme):
    programme = create_programme(slug="mine", created_by_id=owner.id)
    add_parts(app, programme.id, partners=[(PartnerKind.PARTNER, "P", "", 1)])
    with app.app_context():
        partner_id = db.session.scalars(db.select(ProgrammePartner.id)).one()
    assert client.post(f"/manage/programmes/{programme.id}/partners/{partner_id}/remove").status_code == 400
    with app.app_context():
        assert db.session.get(ProgrammePartner, partner_id) is not None
