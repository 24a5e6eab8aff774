"""Each back-office create form saves on the first try with only its required fields filled.

The test submits the form as a browser would: it reads the page, keeps every default the page carries
(checked radios, the selected or first option of each select, hidden inputs), fills in only the fields
the page marks as required, and sends what a browser would send. A radio group without a default makes
the save fail here just as it did for the first organiser ("Not a valid choice").
"""

from __future__ import annotations

import io
from urllib.parse import urljoin

import lxml.html
import pytest

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.mailings.models import Mailing
from eventapp.materials.models import Material
from eventapp.programmes.models import Programme
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement, Registration
from eventapp.speakers.models import Speaker
from tests.sample_files import pdf_bytes


def _form(html: str, action: str | None):
    """The form on the page posting to ``action`` (None: the form that posts to the page itself)."""
    doc = lxml.html.fromstring(html)
    for form in doc.forms:
        if form.get("method", "get").lower() != "post":
            continue
        if ((form.get("action") or "").split("#")[0] or None) == action:
            return form
    raise AssertionError(f"no form posting to {action!r} on the page")


def submit(client, page_url: str, action: str | None, fill: dict[str, str], *,
           files: dict | None = None):  # fmt: skip
    """GET ``page_url``, fill only ``fill`` into the chosen form, and POST what a browser would."""
    form = _form(client.get(page_url).get_data(as_text=True), action)
    required = {el.name for el in form.inputs if el.get("required") is not None and el.name}
    missing = (
        required - set(fill) - set(files or {}) - {el.name for el in form.inputs if getattr(el, "checkable", False)}
    )
    assert not missing - {n for n, v in form.form_values() if v}, f"required fields left empty: {missing}"
    data: dict[str, list[str]] = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    for name, value in fill.items():
        data[name] = [value]
    assert set(fill) <= required, f"filled fields that are not required: {set(fill) - required}"
    if files:
        data.update(files)
    return client.post(urljoin(page_url, action or page_url), data=data)


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


@pytest.fixture
def admin(client, create_account, log_in):
    user = create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    return user


@pytest.fixture
def event(create_event, add_manager, admin):
    made = create_event(agenda=1, speakers_per_item=1)
    add_manager(made.id, admin.id)
    return made


def test_a_new_event_saves_with_only_its_required_fields(app, client, admin):
    response = submit(
        client,
        "/manage/events/new",
        None,
        {"title": "Markedsdialog om kantinemat", "starts_at": "2031-03-04T09:00", "ends_at": "2031-03-04T11:00"},
    )

    assert response.status_code == 303, lxml.html.fromstring(response.data).text_content()[:2000]
    with app.app_context():
        made = db.session.scalars(db.select(Event)).one()
        assert (made.title, made.format.value, made.waitlist_mode.value) == (
            "Markedsdialog om kantinemat",
            "online",
            "automatic",
        )


def test_a_new_programme_saves_with_only_its_required_fields(app, client, admin):
    response = submit(client, "/manage/programmes/new", None, {"title": "Innovative anskaffelser i nord"})

    assert response.status_code == 303
    assert count(app, Programme) == 1


def test_an_agenda_item_and_a_speaker_save_with_only_their_required_fields(app, client, event):
    page = f"/manage/events/{event.id}/agenda"
    items, speakers = count(app, AgendaItem), count(app, Speaker)

    speaker = submit(client, page, f"/manage/events/{event.id}/speakers", {"name": "Kari Nordmann"})
    item = submit(client, page, f"/manage/events/{event.id}/agenda/items", {
        "title": "Velkommen", "starts_at": "2031-03-04T09:00", "ends_at": "2031-03-04T09:15"})  # fmt: skip

    assert (speaker.status_code, item.status_code) == (303, 303)
    assert (count(app, Speaker), count(app, AgendaItem)) == (speakers + 1, items + 1)


def test_a_question_and_a_requirement_save_with_only_their_required_fields(app, client, event):
    page = f"/manage/events/{event.id}/questions"

    question = submit(client, page, f"/manage/events/{event.id}/questions/new", {"label": "Hvilken etat?"})
    requirement = submit(client, page, f"/manage/events/{event.id}/requirements/new",
                         {"text": "Vi er en offentlig oppdragsgiver."})  # fmt: skip

    assert (question.status_code, requirement.status_code) == (303, 303)
    assert (count(app, CustomQuestion), count(app, ParticipationRequirement)) == (1, 1)


def test_materials_save_with_only_their_required_fields(app, client, event):
    page = f"/manage/events/{event.id}/materials"

    link = submit(client, page, f"/manage/events/{event.id}/materials/links",
                  {"link-title": "Opptak", "link-url": "https://vimeo.com/123456789"})  # fmt: skip
    pdf = {"file-file": (io.BytesIO(pdf_bytes()), "lysark.pdf")}
    upload = submit(client, page, f"/manage/events/{event.id}/materials/files", {}, files=pdf)

    assert (link.status_code, upload.status_code) == (303, 303)
    assert count(app, Material) == 2


def test_an_account_saves_with_only_its_required_fields(app, client, admin):
    response = submit(client, "/manage/accounts/new", None, {"name": "Ola Nordmann", "email": "ola@example.org"})

    assert response.status_code == 303
    with app.app_context():
        made = db.session.scalars(db.select(User).where(User.email == "ola@example.org")).one()
        assert made.role is Role.ORGANISER


def test_a_person_added_by_hand_saves_with_only_the_required_fields(app, client, event):
    response = submit(client, f"/manage/events/{event.id}/registrations/new", None, {
        "name": "Siri Hansen", "email": "siri@example.org", "organisation": "Tromsø kommune",
        "organisation_type": "municipality", "country": "NO"})  # fmt: skip

    assert response.status_code == 303
    assert count(app, Registration) == 1


def test_a_message_saves_with_only_its_required_fields(app, client, event):
    submit(client, f"/manage/events/{event.id}/registrations/new", None, {
        "name": "Siri Hansen", "email": "siri@example.org", "organisation": "Tromsø kommune",
        "organisation_type": "municipality", "country": "NO"})  # fmt: skip
    page = f"/manage/events/{event.id}/messages/new"
    fill = {"subject": "Praktisk informasjon", "body": "Vi møtes i foajeen."}

    preview = client.post(page, data={**dict(_form(client.get(page).get_data(as_text=True), None).form_values()),
                                      **fill})  # fmt: skip
    assert preview.status_code == 200
    sent = client.post(page, data={**dict(_form(preview.get_data(as_text=True), None).form_values()), "send": "1"})

    assert sent.status_code == 303
    assert count(app, Mailing) == 1


def test_a_manager_is_added_with_only_the_required_field(app, client, event, create_account):
    create_account("colleague@example.org")

    response = submit(client, f"/manage/events/{event.id}/team", None, {"email": "colleague@example.org"})

    assert response.status_code == 303
