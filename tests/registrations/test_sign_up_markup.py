"""The sign-up form keeps the promise it states ("All fields are required unless marked optional") for every
field and every kind of organiser question, groups the participation requirements under their instruction,
and asks for the country with an empty first option (issue 19)."""

from __future__ import annotations

import pytest

from eventapp.events.enums import EventFormat
from eventapp.extensions import db
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement
from tests.markup import CONTROLS, label_of, required_selects_with_a_real_first_option, tree
from tests.registrations.conftest import text_of

INSTRUCTION = "To take part, your organisation must confirm each of these:"


@pytest.fixture
def dialogue(app, create_event):
    """An in-person event with two requirements and, of every question kind, one optional question and
    one required one."""
    event = create_event(format=EventFormat.IN_PERSON, requires_approval=True)
    with app.app_context():
        db.session.add_all(
            [
                ParticipationRequirement(event_id=event.id, position=0, text="Our leadership anchors the work"),
                ParticipationRequirement(event_id=event.id, position=1, text="We cover our own travel"),
            ]
        )
        for position, kind in enumerate(QuestionKind):
            for required in (False, True):
                db.session.add(
                    CustomQuestion(
                        event_id=event.id,
                        position=2 * position + required,
                        label=f"{kind.value} {'must' if required else 'may'}",
                        kind=kind,
                        required=required,
                        choices="Mobility\nFood" if "choice" in kind.value else "",
                    )
                )
        db.session.commit()
    return event


def test_every_field_follows_the_rule_the_form_states_for_every_question_kind(client, dialogue):
    html = client.get(f"/events/{dialogue.slug}/register").get_data(as_text=True)
    page = tree(html)

    assert "All fields are required unless marked optional." in text_of(html)
    unmarked = [
        label_of(page, control)
        for control in page.xpath(CONTROLS)
        if control.get("required") is None and "(optional)" not in label_of(page, control)
    ]
    assert unmarked == []  # a field without `required` says "(optional)"
    said = {label_of(page, control).split(" › ")[0] for control in page.xpath(CONTROLS)}
    for kind in QuestionKind:
        assert f"{kind.value} may (optional)" in said
        assert f"{kind.value} must (required)" in said
        assert f"{kind.value} must (optional)" not in said


def test_participation_requirements_are_grouped_under_the_instruction_as_legend(client, dialogue):
    page = tree(client.get(f"/events/{dialogue.slug}/register").get_data(as_text=True))

    boxes = page.xpath("//input[starts-with(@name, 'requirement_')]")
    assert len(boxes) == 2
    for box in boxes:
        assert label_of(page, box).startswith(f"{INSTRUCTION} › ")
    assert [label_of(page, box) for box in boxes] == [
        f"{INSTRUCTION} › Our leadership anchors the work",
        f"{INSTRUCTION} › We cover our own travel",
    ]


def test_the_country_is_asked_with_an_empty_first_option_so_required_can_work(client, sign_up, create_event):
    event = create_event()
    page = tree(client.get(f"/events/{event.slug}/register").get_data(as_text=True))
    [country] = page.xpath("//select[@name='country']")
    first = country.xpath(".//option")[0]

    refused = sign_up(event.slug, country="")

    assert required_selects_with_a_real_first_option(page) == []
    assert country.get("required") is not None
    assert (first.get("value"), first.text_content()) == ("", "Choose a country")
    assert refused.status_code == 400
    assert "Please choose a country." in text_of(refused.get_data(as_text=True))
