"""An event names its own contact persons (some of its programme's) or shows all of its programme's; its page
and sign-up form put the visitor's country first: the country chosen in the form, else the page's language."""

from __future__ import annotations

import re

import pytest

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.programmes.models import ContactPerson
from tests.registrations.conftest import csrf_token, text_of

PEOPLE = [
    ("NO", "Ingrid Solberg", "ingrid@example.org"),
    ("SE", "Anders Lindqvist", "anders@example.org"),
    ("DK", "Mette Kjær", "mette@example.org"),
    ("FI", "Aino Virtanen", "aino@example.org"),
]


def add_contacts(app, programme_id: int, people=PEOPLE) -> dict[str, int]:
    with app.app_context():
        rows = [
            ContactPerson(programme_id=programme_id, country=c, name=n, email=e, position=i)
            for i, (c, n, e) in enumerate(people)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {row.name: row.id for row in rows}


@pytest.fixture
def owner(create_account, client, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def _post(client, path: str, data):
    """Send the form; ``data`` a dict, or a list of pairs for a field sent several times (ticked boxes)."""
    from werkzeug.datastructures import MultiDict

    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    pairs = list(data.items()) if isinstance(data, dict) else list(data)
    return client.post(path, data=MultiDict([("csrf_token", token), *pairs]))


def test_an_event_shows_only_the_contacts_it_chose_and_goes_back_to_all(app, client, owner, create_programme,
                                                                        create_event):  # fmt: skip
    programme = create_programme(slug="nordic", created_by_id=owner.id)
    ids = add_contacts(app, programme.id)
    event = create_event(programme=programme, created_by_id=owner.id)
    base = f"/manage/events/{event.id}/contacts"
    form = client.get(base)
    assert form.status_code == 200
    assert re.search(r'<input checked id="source-0" name="source" [^>]*value="programme"', form.get_data(as_text=True))

    chosen = _post(client, base, [("source", "chosen"), ("contacts", str(ids["Mette Kjær"])),
                                  ("contacts", str(ids["Aino Virtanen"]))])  # fmt: skip
    assert chosen.status_code == 303
    page = client.get(base).get_data(as_text=True)
    assert re.search(r'<input checked [^>]*value="chosen"', page)
    assert re.search(rf'<input checked [^>]*value="{ids["Aino Virtanen"]}"', page)
    assert not re.search(rf'<input checked [^>]*value="{ids["Ingrid Solberg"]}"', page)

    danish = text_of(client.get(f"/events/{event.slug}?lang=da").get_data(as_text=True))
    assert danish.index("Mette Kjær") < danish.index("Aino Virtanen")
    assert "Ingrid Solberg" not in danish
    assert "Anders Lindqvist" not in danish
    finnish_form = text_of(client.get(f"/events/{event.slug}/register?lang=fi").get_data(as_text=True))
    assert finnish_form.index("Aino Virtanen") < finnish_form.index("Mette Kjær")
    assert "Ingrid Solberg" not in finnish_form
    # The programme page still lists every contact person.
    assert "Ingrid Solberg" in text_of(client.get("/programmes/nordic").get_data(as_text=True))

    back = _post(client, base, {"source": "programme"})
    assert back.status_code == 303
    with app.app_context():
        assert db.session.get(Event, event.id).chosen_contacts == []
    assert "Ingrid Solberg" in text_of(client.get(f"/events/{event.slug}").get_data(as_text=True))


def test_a_removed_contact_leaves_the_events_choice_and_the_last_one_brings_back_all(
    app, client, owner, create_programme, create_event
):
    programme = create_programme(slug="nordic", created_by_id=owner.id)
    ids = add_contacts(app, programme.id)
    event = create_event(programme=programme, created_by_id=owner.id)
    _post(client, f"/manage/events/{event.id}/contacts", {"source": "chosen", "contacts": str(ids["Mette Kjær"])})
    assert (
        _post(client, f"/manage/programmes/{programme.id}/contacts/{ids['Mette Kjær']}/remove", {}).status_code == 303
    )
    text = text_of(client.get(f"/events/{event.slug}?lang=en").get_data(as_text=True))
    assert "Mette" not in text
    assert "Ingrid Solberg" in text  # nobody chosen is left: the programme's contacts again


def test_the_sign_up_form_with_errors_puts_the_chosen_country_first(app, client, create_programme, create_event):
    programme = create_programme(slug="nordic")
    add_contacts(app, programme.id)
    event = create_event(programme=programme)
    page = client.get(f"/events/{event.slug}/register?lang=sv").get_data(as_text=True)
    swedish_first = text_of(page)
    assert swedish_first.index("Anders Lindqvist") < swedish_first.index("Ingrid Solberg")  # from the language
    sent = client.post(f"/events/{event.slug}/register?lang=sv", data={"csrf_token": csrf_token(page), "country": "DK"})
    text = text_of(sent.get_data(as_text=True))
    assert sent.status_code == 400
    assert text.index("Mette Kjær") < text.index("Anders Lindqvist")  # the country chosen wins over the language


@pytest.mark.parametrize(
    "data",
    [
        {"source": "chosen"},  # nothing ticked
        {"source": "chosen", "contacts": "not-a-number"},
        {"source": "chosen", "contacts": "99999999"},
        {"source": "everyone"},
    ],
)
def test_bad_choices_are_refused_and_nothing_changes(app, client, owner, create_programme, create_event, data):
    programme = create_programme(slug="nordic", created_by_id=owner.id)
    add_contacts(app, programme.id)
    event = create_event(programme=programme, created_by_id=owner.id)
    answer = _post(client, f"/manage/events/{event.id}/contacts", data)
    assert answer.status_code == 400
    assert "error-summary" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Event, event.id).chosen_contacts == []


def test_a_contact_of_another_programme_cannot_be_chosen(app, client, owner, create_programme, create_event):
    programme = create_programme(slug="nordic", created_by_id=owner.id)
    add_contacts(app, programme.id)
    other = create_programme(slug="other", created_by_id=owner.id)
    foreign = add_contacts(app, other.id, [("IS", "Jón Jónsson", "jon@example.org")])
    event = create_event(programme=programme, created_by_id=owner.id)
    answer = _post(client, f"/manage/events/{event.id}/contacts",
                   {"source": "chosen", "contacts": str(foreign["Jón Jónsson"])})  # fmt: skip
    assert answer.status_code == 400
    with app.app_context():
        assert db.session.get(Event, event.id).chosen_contacts == []


def test_an_event_without_a_programme_says_so(client, owner, create_event):
    event = create_event(created_by_id=owner.id)
    page = client.get(f"/manage/events/{event.id}/contacts")
    assert page.status_code == 200
    assert "The event is not part of a programme" in text_of(page.get_data(as_text=True))
    assert _post(client, f"/manage/events/{event.id}/contacts", {"source": "programme"}).status_code == 400


def test_only_the_events_organisers_choose_its_contacts(app, client, create_account, log_in, create_programme,
                                                        create_event):  # fmt: skip
    owner = create_account("owner@example.org")
    programme = create_programme(slug="nordic", created_by_id=owner.id)
    ids = add_contacts(app, programme.id)
    event = create_event(programme=programme, created_by_id=owner.id)
    create_account("stranger@example.org")
    log_in(client, "stranger@example.org")
    assert client.get(f"/manage/events/{event.id}/contacts").status_code == 403
    answer = _post(
        client, f"/manage/events/{event.id}/contacts", {"source": "chosen", "contacts": str(ids["Mette Kjær"])}
    )
    assert answer.status_code == 403
    assert client.get("/manage/events/99999999/contacts").status_code == 404
