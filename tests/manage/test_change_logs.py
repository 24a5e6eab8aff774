"""Change-log entries with no event are on the pages an organiser looks at: a programme's change log (the
programme, its parts, its interest list and its calls; only for those who may manage that programme) and
the site's change log for administrators (everything with no event, by area, page by page), each line in
the reader's language."""

from __future__ import annotations

import pytest

from eventapp.accounts import audit
from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.calls import setup as call_setup
from eventapp.extensions import db
from eventapp.programmes import organisation
from eventapp.programmes.enums import PartnerKind
from eventapp.programmes.services import ContactData, add_contact
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.questions import QuestionData
from tests.calls.conftest import create_call  # noqa: F401  (the fixture, used by name)
from tests.registrations.conftest import text_of


@pytest.fixture
def two_programmes(app, create_account, create_programme, create_call, create_event):  # noqa: F811
    """Two organisers, each with a programme, a partner, a contact person, a call with a question; and an
    event of the first programme with an entry of its own."""
    olga = create_account("olga.owner@example.org")
    otto = create_account("otto.other@example.org")
    mine = create_programme(title="Innovasjon Øst", created_by_id=olga.id, timezone="Europe/Helsinki")
    theirs = create_programme(title="Skåne network", created_by_id=otto.id)
    my_call = create_call(programme=mine, title="Buyer dialogue east")
    their_call = create_call(programme=theirs, title="Buyer dialogue south")
    event = create_event(programme=mine, title="Kick-off")
    with app.app_context():
        for user, programme, call, name in (
            (olga, mine, my_call, "Oslo kommune"),
            (otto, theirs, their_call, "Malmö stad"),
        ):
            actor = db.session.get(User, user.id)
            organisation.add_partner(
                programme.id, organisation.PartnerData(kind=PartnerKind.FUNDER, name=name), actor=actor
            )
            add_contact(programme.id, ContactData(country="NO", name=f"Kontakt {name}", role="", organisation="",
                                                  email="kontakt@example.org", phone=""), actor=actor)  # fmt: skip
            call_setup.add_question(
                call.id, QuestionData(label=f"Why {name}?", kind=QuestionKind.SHORT_TEXT), actor=actor
            )
        audit.record("event.published", actor=db.session.get(User, olga.id), event_id=event.id)
        db.session.commit()
    return mine, theirs


def test_a_programmes_change_log_shows_its_own_changes_and_its_calls_in_the_readers_language(
    client, log_in, two_programmes
):
    mine, _ = two_programmes
    log_in(client, "olga.owner@example.org")

    english = client.get(f"/manage/programmes/{mine.id}/audit")
    norwegian = client.get(f"/manage/programmes/{mine.id}/audit?lang=nb")

    assert english.status_code == 200
    text = text_of(english.get_data(as_text=True))
    assert "Funder “Oslo kommune” added to the programme by Olga.Owner" in text
    assert "Question “Why Oslo kommune?” added to the call “Buyer dialogue east” by Olga.Owner" in text
    assert "Contact person" in text
    assert "Malmö" not in text  # the other programme's partner, contact person and call
    assert "Buyer dialogue south" not in text
    assert "Event published" not in text  # an event's change is in the event's own log
    assert "Times are in Europe/Helsinki." in text  # the programme's zone
    assert "Finansiør «Oslo kommune» lagt til i programmet av Olga.Owner" in text_of(norwegian.get_data(as_text=True))


def test_an_organiser_cannot_read_another_programmes_change_log(client, log_in, two_programmes):
    _, theirs = two_programmes
    log_in(client, "olga.owner@example.org")

    answer = client.get(f"/manage/programmes/{theirs.id}/audit")
    missing = client.get("/manage/programmes/999999/audit")

    assert answer.status_code == 403
    assert "Malmö" not in answer.get_data(as_text=True)
    assert missing.status_code == 404


def test_the_programme_form_links_to_the_programmes_change_log(client, log_in, two_programmes):
    mine, _ = two_programmes
    log_in(client, "olga.owner@example.org")

    form = client.get(f"/manage/programmes/{mine.id}/edit").get_data(as_text=True)

    assert f'href="/manage/programmes/{mine.id}/audit">Change log</a>' in form


def test_the_site_change_log_is_for_administrators_only(client, log_in, create_account, two_programmes):
    log_in(client, "olga.owner@example.org")

    answer = client.get("/manage/audit")
    page = client.get("/manage/").get_data(as_text=True)

    assert answer.status_code == 403
    assert "/manage/audit" not in page


def test_an_administrator_reads_the_site_change_log_by_area(app, client, log_in, create_account, two_programmes):
    admin = create_account("ada.admin@example.org", role=Role.ADMIN)
    with app.app_context():
        from eventapp.accounts.services import create_account as new_account

        new_account(name="Nils Ny", email="nils.ny@example.org", role=Role.ORGANISER,
                    actor=db.session.get(User, admin.id), locale="nb")  # fmt: skip
    log_in(client, "ada.admin@example.org")

    everything = text_of(client.get("/manage/audit").get_data(as_text=True))
    accounts = text_of(client.get("/manage/audit?area=accounts&lang=sv").get_data(as_text=True))
    calls = text_of(client.get("/manage/audit?area=calls").get_data(as_text=True))

    assert "7 changes" in everything  # 2 partners, 2 contact persons, 2 questions, 1 account; not the event's
    assert "Account for nils.ny@example.org (Organiser) created by Ada.Admin" in everything
    assert "Malmö stad" in everything
    assert "Oslo kommune" in everything
    assert "Event published" not in everything
    assert "nils.ny@example.org" in accounts
    assert "Oslo kommune" not in accounts
    assert "1 ändring" in accounts
    assert "Why Oslo kommune?" in calls
    assert "Why Malmö stad?" in calls
    assert "nils.ny" not in calls


def test_an_unknown_area_or_page_shows_the_whole_site_log_with_a_message(
    client, log_in, create_account, two_programmes
):
    create_account("ada.admin@example.org", role=Role.ADMIN)
    log_in(client, "ada.admin@example.org")

    for query in ("area=nothing", "page=-3", "page=x", "area=Accounts%00"):
        answer = client.get(f"/manage/audit?{query}")
        text = text_of(answer.get_data(as_text=True))
        assert answer.status_code == 400, query
        assert "That area or page does not exist: the whole change log is shown." in text
        assert "6 changes" in text


def test_the_site_change_log_is_shown_page_by_page(app, client, log_in, create_account):
    admin = create_account("ada.admin@example.org", role=Role.ADMIN)
    with app.app_context():
        for n in range(101):
            audit.record("site.updated", actor=db.session.get(User, admin.id), event_id=None, changed=[f"field{n}"])
        db.session.commit()
    log_in(client, "ada.admin@example.org")

    first = client.get("/manage/audit").get_data(as_text=True)
    second = client.get("/manage/audit?page=2").get_data(as_text=True)
    past_the_end = client.get("/manage/audit?page=9").get_data(as_text=True)

    assert first.count("Site settings changed by Ada.Admin") == 100
    assert "Page 1 of 2" in text_of(first)
    assert 'href="/manage/audit?page=2" rel="next"' in first
    assert second.count("Site settings changed by Ada.Admin") == 1
    assert "field0" in second  # newest first
    assert "field0" not in first
    assert "Page 2 of 2" in text_of(past_the_end)


@pytest.mark.parametrize("lines", [1, 3])
def test_the_site_change_log_takes_a_fixed_number_of_queries(app, client, log_in, create_account, count_queries, lines):
    create_account("ada.admin@example.org", role=Role.ADMIN)
    others = [create_account(f"someone{n}@example.org") for n in range(lines)]
    with app.app_context():
        for other in others:  # each line by another actor
            audit.record("site.updated", actor=db.session.get(User, other.id), event_id=None, changed=["logo"])
        db.session.commit()
    log_in(client, "ada.admin@example.org")

    with count_queries() as counter:
        answer = client.get("/manage/audit")

    assert answer.get_data(as_text=True).count("Site settings changed by Someone") == lines
    assert counter.count <= 6, counter.count
