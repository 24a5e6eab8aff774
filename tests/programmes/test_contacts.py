"""Contact persons per country: the programme page lists them by country, event pages and sign-up forms show the
visitor's country first, each has an "add to contacts" vCard, and organisers keep the list in the back office."""

from __future__ import annotations

import pytest
import vobject

from eventapp.extensions import db
from eventapp.programmes.models import ContactPerson
from tests.registrations.conftest import csrf_token, text_of

PEOPLE = [
    ("NO", "Ingrid Solberg", "National contact", "Innovasjonsetaten", "ingrid@example.org", "+47 22 00 10 01"),
    ("SE", "Anders Lindqvist", "National contact", "Upphandlingsnätverket", "anders@example.org", ""),
    ("FI", "Aino Virtanen", "", "Hankintaverkosto", "aino@example.org", "+358 9 000 1004"),
]


@pytest.fixture
def nordic(app, create_programme):
    programme = create_programme(slug="nordic", title="Nordic Buyer Dialogues")
    with app.app_context():
        for position, (country, name, role, organisation, email, phone) in enumerate(PEOPLE):
            person = ContactPerson(country=country, name=name, role=role, organisation=organisation, email=email)
            person.programme_id, person.phone, person.position = programme.id, phone, position
            db.session.add(person)
        db.session.commit()
    return programme


def test_programme_page_lists_contacts_by_country_with_mail_and_phone_links(client, nordic):
    page = client.get("/programmes/nordic?lang=en").get_data(as_text=True)
    text = text_of(page)
    assert "Contact persons Norway Ingrid Solberg National contact, Innovasjonsetaten" in text
    assert text.index("Norway") < text.index("Sweden") < text.index("Finland")
    assert '<a href="mailto:ingrid@example.org">ingrid@example.org</a>' in page
    assert '<a href="tel:+4722001001">+47 22 00 10 01</a>' in page
    assert "Anders Lindqvist" in text
    assert 'href="tel:"' not in page  # no phone, no empty link


def test_the_visitors_country_comes_first_by_their_language(client, nordic, create_event):
    event = create_event(programme=nordic)
    swedish = text_of(client.get(f"/events/{event.slug}?lang=sv").get_data(as_text=True))
    finnish = text_of(client.get(f"/events/{event.slug}?lang=fi").get_data(as_text=True))
    assert swedish.index("Anders Lindqvist") < swedish.index("Ingrid Solberg")
    assert finnish.index("Aino Virtanen") < finnish.index("Ingrid Solberg")
    # The other countries are folded away under their own summary.
    assert "Kontaktpersoner i andra länder" in swedish


def test_the_sign_up_form_puts_the_chosen_country_first(client, nordic, create_event):
    event = create_event(programme=nordic)
    page = client.get(f"/events/{event.slug}/register?lang=en").get_data(as_text=True)
    sent = client.post(f"/events/{event.slug}/register", data={"csrf_token": csrf_token(page), "country": "FI"})
    text = text_of(sent.get_data(as_text=True))
    assert sent.status_code == 400  # the form is incomplete: shown again, with Finland's contact first
    assert text.index("Aino Virtanen") < text.index("Ingrid Solberg")


def test_each_contact_has_a_vcard_that_contact_apps_read(client, app, nordic):
    with app.app_context():
        ingrid = db.session.scalars(db.select(ContactPerson).filter_by(name="Ingrid Solberg")).one()
    page = client.get("/programmes/nordic").get_data(as_text=True)
    url = f"/programmes/nordic/contacts/{ingrid.id}.vcf"
    assert f'href="{url}"' in page
    answer = client.get(url)
    assert answer.status_code == 200
    assert answer.mimetype == "text/vcard"
    assert answer.headers["Content-Disposition"] == 'attachment; filename="Ingrid-Solberg.vcf"'
    card = vobject.readOne(answer.get_data(as_text=True))
    assert card.version.value == "4.0"
    assert card.fn.value == "Ingrid Solberg"
    assert card.email.value == "ingrid@example.org"
    assert card.tel.value == "+47 22 00 10 01"
    assert card.org.value == ["Innovasjonsetaten"]
    assert client.get(f"/programmes/other/contacts/{ingrid.id}.vcf").status_code == 404
    assert client.get("/programmes/nordic/contacts/999999.vcf").status_code == 404


@pytest.fixture
def owner(create_account, client, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def _post(client, url: str, **fields: str):
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def test_an_organiser_adds_edits_and_removes_a_contact_and_the_public_page_follows(app, client, owner,
                                                                                  create_programme):  # fmt: skip
    programme = create_programme(slug="mine", title="Mine", created_by_id=owner.id)
    base = f"/manage/programmes/{programme.id}/contacts"
    added = _post(client, base, country="DK", name="Mette Kjær", role="National contact", organisation="Indkøbsforum",
                  email="Mette.Kjaer@Example.org", phone="+45 33 00 10 03")  # fmt: skip
    assert added.status_code == 303
    assert "Mette Kjær" in text_of(client.get("/programmes/mine?lang=en").get_data(as_text=True))
    with app.app_context():
        contact = db.session.scalars(db.select(ContactPerson)).one()
        assert contact.email == "mette.kjaer@example.org"

    edit_page = client.get(f"{base}/{contact.id}")
    assert edit_page.status_code == 200
    assert 'value="mette.kjaer@example.org"' in edit_page.get_data(as_text=True)

    edited = _post(client, f"{base}/{contact.id}", country="DK", name="Mette Kjær Holm", role="", organisation="",
                   email="mette@example.org", phone="")  # fmt: skip
    assert edited.status_code == 303
    assert "Mette Kjær Holm" in text_of(client.get("/programmes/mine").get_data(as_text=True))

    removed = _post(client, f"{base}/{contact.id}/remove")
    assert removed.status_code == 303
    assert "Mette" not in text_of(client.get("/programmes/mine").get_data(as_text=True))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Give the contact person's name."),
        ({"email": "not an address"}, "Please enter an email address"),
        ({"phone": "ring me"}, "Give a phone number with digits"),
        ({"country": "XX"}, "Not a valid choice"),
    ],
)
def test_bad_contact_details_are_refused_with_a_message(app, client, owner, create_programme, fields, message):
    programme = create_programme(slug="mine", created_by_id=owner.id)
    good = {"country": "NO", "name": "Kari", "role": "", "organisation": "", "email": "kari@example.org", "phone": ""}
    answer = _post(client, f"/manage/programmes/{programme.id}/contacts", **{**good, **fields})
    assert answer.status_code == 400
    assert message in text_of(answer.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(db.select(ContactPerson)).first() is None


def test_only_those_who_manage_the_programme_touch_its_contacts(app, client, nordic, create_account, log_in):
    create_account("stranger@example.org")
    log_in(client, "stranger@example.org")
    assert client.get(f"/manage/programmes/{nordic.id}/contacts").status_code == 403
    with app.app_context():
        first = db.session.scalars(db.select(ContactPerson)).first()
    assert _post(client, f"/manage/programmes/{nordic.id}/contacts/{first.id}/remove").status_code == 403
