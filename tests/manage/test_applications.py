"""Approving with eyes open: each pending person's answers and confirmed requirements where the decision
is made (folded under the name), and the whole pending list side by side."""

from __future__ import annotations

import lxml.html
import pytest

from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement
from tests.registrations.conftest import text_of
from tests.registrations.test_rules import data

PEOPLE = (
    ("astrid@example.org", "Astrid Holm", "Elbusser\nUtslippsfrie byggeplasser", "yes"),
    ("emil@example.org", "Emil Lundgren", "Fossilfri sjøtransport", "no"),
    ("aino@example.org", "Aino Korhonen", "", "yes"),
)


@pytest.fixture
def dialogue(app, client, create_event, create_account, log_in):
    """A dialogue meeting that approves each person, with two requirements and two questions."""
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, requires_approval=True, title="Bestillerdialog", language="nb")
    with app.app_context():
        db.session.add_all([
            ParticipationRequirement(event_id=event.id, position=0, text="Deltakelsen er forankret i ledelsen"),
            CustomQuestion(event_id=event.id, position=0, label="Hvilke leveranser?", kind=QuestionKind.LONG_TEXT),
            CustomQuestion(event_id=event.id, position=1, label="Middag?", kind=QuestionKind.YES_NO),
        ])  # fmt: skip
        db.session.commit()
    log_in(client, "owner@example.org")
    return event


def apply(app, event, people) -> None:
    with app.app_context():
        requirements = list(db.session.scalars(db.select(ParticipationRequirement.id).order_by("position")))
        questions = list(db.session.scalars(db.select(CustomQuestion.id).order_by("position")))
        for email, name, deliveries, dinner in people:
            confirmed = frozenset(requirements)
            services.register(event.id, data(email, name=name, confirmed_requirements=confirmed,
                                             answers={questions[0]: deliveries, questions[1]: dinner}))  # fmt: skip


def added_later(app, event) -> None:
    """A requirement the organiser added after these people applied: nobody has confirmed it."""
    with app.app_context():
        db.session.add(ParticipationRequirement(event_id=event.id, position=1, text="Vi dekker egne reisekostnader"))
        db.session.commit()


def test_each_pending_person_shows_answers_and_requirements_under_their_name(app, client, dialogue):
    apply(app, dialogue, PEOPLE)
    added_later(app, dialogue)

    html = client.get(f"/manage/events/{dialogue.id}/registrations").get_data(as_text=True)
    rows = {
        text_of(lxml.html.tostring(row.xpath("./th")[0], encoding="unicode")).split(" ")[0]: row
        for row in lxml.html.fromstring(html).xpath("//tbody/tr")
    }
    emil = text_of(lxml.html.tostring(rows["Emil"].xpath(".//details[@class='application']")[0], encoding="unicode"))
    astrid = rows["Astrid"].xpath(".//details[@class='application']//dd")

    assert "Confirmed Deltakelsen er forankret i ledelsen Not confirmed Vi dekker egne reisekostnader" in emil
    assert "Hvilke leveranser? Fossilfri sjøtransport Middag? no" in emil
    assert astrid[0].text_content() == "Elbusser\nUtslippsfrie byggeplasser"
    assert "Hvilke leveranser? No answer" in text_of(lxml.html.tostring(rows["Aino"], encoding="unicode"))


def test_the_list_takes_the_same_number_of_queries_for_one_or_three_pending_people(
    app, client, dialogue, count_queries
):
    url = f"/manage/events/{dialogue.id}/registrations"
    apply(app, dialogue, PEOPLE[:1])
    client.get(url)  # warm
    with count_queries() as one:
        assert "Astrid Holm" in client.get(url).get_data(as_text=True)
    apply(app, dialogue, PEOPLE[1:])
    with count_queries() as three:
        page = client.get(url).get_data(as_text=True)

    assert page.count('class="application"') == 3
    assert three.count == one.count, (one.statements, three.statements)


def test_the_side_by_side_view_shows_the_whole_pending_list_in_one_table(app, client, dialogue, count_queries):
    apply(app, dialogue, PEOPLE[:1])
    added_later(app, dialogue)
    url = f"/manage/events/{dialogue.id}/registrations/pending"
    client.get(url)
    with count_queries() as one:
        client.get(url)
    apply(app, dialogue, PEOPLE[1:])
    with count_queries() as three:
        response = client.get(url)

    doc = lxml.html.fromstring(response.get_data(as_text=True))
    header = [th.text_content().strip() for th in doc.xpath("//thead//th")]
    rows = [[cell.text_content().strip() for cell in tr.xpath("./th|./td")] for tr in doc.xpath("//tbody/tr")]
    assert response.status_code == 200
    assert header == ["Name", "Organisation", "Country", "Deltakelsen er forankret i ledelsen",
                      "Vi dekker egne reisekostnader", "Hvilke leveranser?", "Middag?"]  # fmt: skip
    assert [row[0] for row in rows] == ["Astrid Holmastrid@example.org", "Emil Lundgrenemil@example.org",
                                        "Aino Korhonenaino@example.org"]  # fmt: skip
    assert rows[0][3:5] == ["Confirmed", "Not confirmed"]  # Astrid applied before the second requirement
    assert rows[1][3:] == ["Confirmed", "Confirmed", "Fossilfri sjøtransport", "no"]
    assert rows[2][5] == "No answer"
    assert three.count == one.count, (one.statements, three.statements)


def test_the_side_by_side_view_is_only_for_the_event_s_organisers(app, dialogue, create_account, log_in):
    create_account("stranger@example.org")
    client = app.test_client()
    log_in(client, "stranger@example.org")

    assert client.get(f"/manage/events/{dialogue.id}/registrations/pending").status_code == 403
