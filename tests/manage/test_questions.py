"""The sign-up form editor: an event's own questions and participation requirements, as organisers build
them, attendees answer them, and the rules that keep answers already given meaningful."""

from __future__ import annotations

import csv
import io

import pytest

from eventapp.accounts.models import AuditEntry
from eventapp.extensions import db
from eventapp.pagecache.versions import current_version
from eventapp.registrations import services
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.models import (
    CustomQuestion,
    ParticipationRequirement,
    RegistrationAnswer,
    RequirementConfirmation,
)
from tests.registrations.conftest import FORM, csrf_token, text_of
from tests.registrations.test_rules import data


@pytest.fixture
def event(client, create_account, log_in, create_event):
    """A published event of the signed-in owner."""
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return create_event(created_by_id=owner.id, title="Nordic buyer dialogue")


def page(event) -> str:
    return f"/manage/events/{event.id}/questions"


def send(client, event, path: str, **fields):
    """POST to ``/manage/events/<id>/<path>`` as the form on the page would."""
    token = csrf_token(client.get(page(event)).get_data(as_text=True))
    return client.post(f"/manage/events/{event.id}/{path}", data={"csrf_token": token, **fields})


def add_question(client, event, label: str, kind: str = "short_text", **fields):
    return send(client, event, "questions/new", label=label, kind=kind, **fields)


def rows(app, model, event) -> list:
    with app.app_context():
        found = list(db.session.scalars(db.select(model).where(model.event_id == event.id).order_by(model.position)))
        db.session.expunge_all()
        return found


def question_id(app, event, label: str) -> int:
    return next(q.id for q in rows(app, CustomQuestion, event) if q.label == label)


def log(client, event) -> str:
    return text_of(client.get(f"/manage/events/{event.id}/audit").get_data(as_text=True))


def register(app, event, email: str, *, answers: dict[int, str | list[str]] | None = None, confirmed=()):
    with app.app_context():
        services.register(event.id, data(email, answers=answers or {}, confirmed_requirements=frozenset(confirmed)))


def csv_rows(client, event) -> list[list[str]]:
    body = client.get(f"/manage/events/{event.id}/registrations.csv").get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


KINDS = [
    # kind, choices typed by the organiser, what the attendee sends, the cell in the export
    ("short_text", "", "Vegetarian", "Vegetarian"),
    ("long_text", "", "We buy school meals\nfor 40 schools.", "We buy school meals; for 40 schools."),
    ("single_choice", "Mobility\nFood\n", "Food", "Food"),
    ("multiple_choice", "Climate\n\nHealth\nSchools", ["Climate", "Schools"], "Climate; Schools"),
    ("yes_no", "", "yes", "Yes"),
]


@pytest.mark.parametrize(("kind", "choices", "answer", "cell"), KINDS, ids=[k[0] for k in KINDS])
def test_each_kind_of_question_is_asked_on_the_public_form_answered_and_exported(
    app, client, event, kind, choices, answer, cell
):
    with app.app_context():
        version_before = current_version(db.session).number

    added = add_question(client, event, "Tell us about you", kind, help_text="It helps us plan.", choices=choices,
                         required="y")  # fmt: skip
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    (question,) = rows(app, CustomQuestion, event)
    signed_up = client.post(
        f"/events/{event.slug}/register",
        data={**FORM, "csrf_token": csrf_token(form), question.field_name: answer},
    )
    exported = csv_rows(client, event)

    assert added.status_code == 303
    assert "Tell us about you (required)" in text_of(form)
    assert "It helps us plan." in text_of(form)
    assert f'name="{question.field_name}"' in form
    assert signed_up.status_code == 303, text_of(signed_up.get_data(as_text=True))
    assert exported[0][-1] == "Tell us about you"
    assert exported[1][-1] == cell
    with app.app_context():
        assert current_version(db.session).number > version_before  # cached public pages are rendered afresh
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "question.added")).one()
    assert entry.summary == ""  # an action code and its parameters, written out in the reader's language
    assert (entry.details["label"], entry.details["required"]) == ("Tell us about you", True)
    assert "Sign-up form: the required question “Tell us about you” added by Owner" in log(client, event)


def test_the_page_lists_questions_in_order_with_a_preview_of_the_form(app, client, event):
    add_question(client, event, "Which workshop?", "single_choice", choices="Mobility\nFood", required="y")
    add_question(client, event, "Anything else?", "long_text")
    send(client, event, "requirements/new", text="Our leadership has anchored the project")

    html = client.get(page(event)).get_data(as_text=True)
    text = text_of(html)

    assert text.index("Which workshop?") < text.index("Anything else?")
    assert "Which workshop? Required Mobility Food One choice from a list 0 people" in text
    assert "Anything else? (optional) Long text 0 people" in text
    assert "Our leadership has anchored the project 0 people" in text
    preview = html[html.index('id="preview"') :]
    assert '<fieldset class="preview form" disabled>' in preview
    assert 'type="radio"' in preview
    assert "Our leadership has anchored the project" in preview


BAD = [
    ({"label": ""}, "label", "Write the question."),
    ({"label": "   "}, "label", "Write the question."),
    ({"label": "x" * 301}, "label", "The question can be at most 300 characters."),
    ({"kind": "essay"}, "kind", "Choose one of the kinds in the list."),
    ({"kind": "single_choice", "choices": ""}, "choices", "Write the choices people pick from, one per line."),
    ({"kind": "multiple_choice", "choices": "Only one"}, "choices", "Give at least two different choices"),
    ({"kind": "single_choice", "choices": "Oslo\noslo"}, "choices", "“Oslo” is in the list more than once."),
    ({"kind": "single_choice", "choices": "Short\n" + "y" * 201}, "choices", "Each choice can be at most 200"),
    ({"kind": "yes_no", "choices": "Maybe\nPerhaps"}, "choices", "Only a question answered from a list has choices."),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD, ids=[b[1] + "-" + str(i) for i, b in enumerate(BAD)])
def test_bad_questions_are_refused_next_to_the_field_with_the_input_kept(app, client, event, fields, field, message):
    values = {"label": "Diet", "kind": "short_text", "help_text": "Allergies too", "choices": "", **fields}

    response = send(client, event, "questions/new", **values)

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    at_field = html[html.index(f'id="{field}"') - 600 : html.index(f'id="{field}"') + 600]
    assert message in text_of(at_field)  # the message sits with its field
    assert "There is 1 problem" in text_of(html)
    assert 'value="Allergies too"' in html  # what was typed is still there
    if values["choices"]:
        assert values["choices"].split("\n")[0] in html
    assert rows(app, CustomQuestion, event) == []


def test_a_question_as_long_as_the_model_allows_is_kept_whole(app, client, event):
    label = "Which of these " + "x" * 285  # 300 characters

    response = add_question(client, event, label)

    assert response.status_code == 303
    assert rows(app, CustomQuestion, event)[0].label == label


def test_bad_requirements_are_refused_with_the_input_kept(app, client, event):
    empty = send(client, event, "requirements/new", text="  ")
    long = send(client, event, "requirements/new", text="We " + "really " * 80)

    assert empty.status_code == 400
    assert "Write the statement organisations confirm." in text_of(empty.get_data(as_text=True))
    assert long.status_code == 400
    assert "The statement can be at most 500 characters." in text_of(long.get_data(as_text=True))
    assert "We really really" in long.get_data(as_text=True)
    assert rows(app, ParticipationRequirement, event) == []


def test_questions_and_requirements_are_reordered_on_the_public_form(app, client, event):
    for label in ("First", "Second", "Third"):
        add_question(client, event, label)
    for text in ("We have a need", "We have a team"):
        send(client, event, "requirements/new", text=text)
    third, first = question_id(app, event, "Third"), question_id(app, event, "First")
    team = rows(app, ParticipationRequirement, event)[1].id

    send(client, event, f"questions/{third}/move", direction="up")
    send(client, event, f"questions/{first}/move", direction="down")
    send(client, event, f"requirements/{team}/move", direction="up")
    send(client, event, f"questions/{third}/move", direction="up")  # already first: nothing moves

    form = text_of(client.get(f"/events/{event.slug}/register").get_data(as_text=True))
    assert [q.label for q in rows(app, CustomQuestion, event)] == ["Third", "First", "Second"]
    assert form.index("Third") < form.index("First") < form.index("Second")
    assert form.index("We have a team") < form.index("We have a need")
    assert "Sign-up form: the question “Third” moved up by Owner" in log(client, event)


def test_editing_a_question_nobody_answered_changes_it_freely(app, client, event):
    add_question(client, event, "Diet")
    qid = question_id(app, event, "Diet")

    edit_page = client.get(f"/manage/events/{event.id}/questions/{qid}")
    response = send(client, event, f"questions/{qid}", label="Which day?", kind="single_choice",
                    choices="Monday\nTuesday", required="y")  # fmt: skip

    assert edit_page.status_code == 200
    assert 'value="Diet"' in edit_page.get_data(as_text=True)
    assert response.status_code == 303
    (question,) = rows(app, CustomQuestion, event)
    assert (question.label, question.kind, question.choice_list, question.required) == (
        "Which day?", QuestionKind.SINGLE_CHOICE, ["Monday", "Tuesday"], True,
    )  # fmt: skip
    assert (
        "Sign-up form: the question “Which day?” changed by Owner: Choices: (none) → Monday, Tuesday; Kind: Short "
        "text → One choice from a list; Question: Diet → Which day?; An answer is required: no → yes"
    ) in log(client, event)


def test_removing_an_answered_question_asks_first_and_says_how_many_answers_are_lost(app, client, event):
    add_question(client, event, "Diet")
    add_question(client, event, "Hotel")
    diet = question_id(app, event, "Diet")
    register(app, event, "a@example.org", answers={diet: "Vegan"})
    register(app, event, "b@example.org", answers={diet: "None"})

    asked = send(client, event, f"questions/{diet}/remove")
    register(app, event, "c@example.org", answers={diet: "Halal"})  # someone signs up meanwhile
    stale = send(client, event, f"questions/{diet}/remove", confirmed="2")
    removed = send(client, event, f"questions/{diet}/remove", confirmed="3")

    assert asked.status_code == 200
    assert "2 answers will be deleted for good." in text_of(asked.get_data(as_text=True))
    assert stale.status_code == 409
    assert "3 answers will be deleted for good." in text_of(stale.get_data(as_text=True))
    assert "The numbers changed while the page was open" in text_of(stale.get_data(as_text=True))
    assert removed.status_code == 303
    assert [q.label for q in rows(app, CustomQuestion, event)] == ["Hotel"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RegistrationAnswer)) == 0
    assert "Sign-up form: the question “Diet” and its 3 answers removed by Owner" in log(client, event)
    assert "Diet" not in csv_rows(client, event)[0]


def test_removing_a_question_nobody_answered_needs_no_confirmation(app, client, event):
    add_question(client, event, "Diet")
    qid = question_id(app, event, "Diet")

    confirm_page = client.get(f"/manage/events/{event.id}/questions/{qid}/remove")
    removed = send(client, event, f"questions/{qid}/remove")

    assert "Nobody has answered it yet." in text_of(confirm_page.get_data(as_text=True))
    assert removed.status_code == 303
    assert rows(app, CustomQuestion, event) == []


def test_choices_people_picked_stay_but_new_ones_can_be_added(app, client, event):
    add_question(client, event, "Which workshop?", "single_choice", choices="Mobility\nFood\nWater")
    qid = question_id(app, event, "Which workshop?")
    register(app, event, "a@example.org", answers={qid: "Food"})

    dropped = send(client, event, f"questions/{qid}", label="Which workshop?", kind="single_choice",
                   choices="Mobility\nFood and drink\nWater")  # fmt: skip
    extended = send(client, event, f"questions/{qid}", label="Which workshop?", kind="single_choice",
                    choices="Energy\nFood\nMobility")  # fmt: skip

    assert dropped.status_code == 400
    assert "People have already chosen “Food”. Keep those choices exactly as they are" in text_of(
        dropped.get_data(as_text=True)
    )
    assert "Food and drink" in dropped.get_data(as_text=True)  # the input is kept
    assert extended.status_code == 303  # "Water" was never chosen: it may go
    (question,) = rows(app, CustomQuestion, event)
    assert question.choice_list == ["Energy", "Food", "Mobility"]
    assert csv_rows(client, event)[1][-1] == "Food"


def test_an_answered_question_changes_kind_only_where_every_answer_still_fits(app, client, event):
    add_question(client, event, "Which workshop?", "single_choice", choices="Mobility\nFood")
    qid = question_id(app, event, "Which workshop?")
    register(app, event, "a@example.org", answers={qid: "Food"})

    to_text = send(client, event, f"questions/{qid}", label="Which workshop?", kind="short_text", choices="")
    to_several = send(client, event, f"questions/{qid}", label="Which workshop?", kind="multiple_choice",
                      choices="Mobility\nFood")  # fmt: skip

    assert to_text.status_code == 400
    assert "its kind can only change from short to long text" in text_of(to_text.get_data(as_text=True))
    assert to_several.status_code == 303
    assert rows(app, CustomQuestion, event)[0].kind is QuestionKind.MULTIPLE_CHOICE


def test_rewording_an_answered_question_is_confirmed_and_the_log_keeps_the_earlier_wording(app, client, event):
    add_question(client, event, "Diet")
    qid = question_id(app, event, "Diet")
    register(app, event, "a@example.org", answers={qid: "Vegan"})

    asked = send(client, event, f"questions/{qid}", label="Dietary needs", kind="short_text")
    hint_only = send(client, event, f"questions/{qid}", label="Diet", kind="short_text", help_text="Allergies too")
    saved = send(client, event, f"questions/{qid}", label="Dietary needs", kind="short_text", help_text="Allergies too",
                 confirmed="1")  # fmt: skip

    assert asked.status_code == 200
    html = asked.get_data(as_text=True)
    assert "1 person answered the question as it is worded now: “Diet”." in text_of(html)
    assert 'value="Dietary needs"' in html
    assert 'name="confirmed" type="hidden" value="1"' in html
    assert hint_only.status_code == 303  # a new hint is not a new question
    assert saved.status_code == 303
    assert rows(app, CustomQuestion, event)[0].label == "Dietary needs"
    history = log(client, event)
    assert "the question “Diet” changed by Owner: Help text: (none) → Allergies too" in history
    assert "the question “Dietary needs” changed by Owner: Question: Diet → Dietary needs" in history


def test_a_required_question_added_after_sign_ups_warns_that_earlier_people_have_not_answered(app, client, event):
    register(app, event, "a@example.org")
    register(app, event, "b@example.org")

    added = add_question(client, event, "Which day?", "yes_no", required="y")
    add_question(client, event, "Optional thing")
    overview = text_of(client.get(page(event)).get_data(as_text=True))

    assert added.status_code == 303
    assert "2 people on the lists have not answered the required question “Which day?”." in overview
    assert "Optional thing”" not in overview  # an optional question asks nothing of earlier people
    assert "They are not asked again" in overview


def test_requirements_are_confirmed_on_the_public_form_and_guarded_like_answers(app, client, event):
    send(client, event, "requirements/new", text="We have a need to buy")
    (requirement,) = rows(app, ParticipationRequirement, event)
    form = client.get(f"/events/{event.slug}/register").get_data(as_text=True)
    refused = client.post(f"/events/{event.slug}/register", data={**FORM, "csrf_token": csrf_token(form)})
    signed = client.post(f"/events/{event.slug}/register",
                         data={**FORM, "csrf_token": csrf_token(form), requirement.field_name: "y"})  # fmt: skip
    send(client, event, "requirements/new", text="We cover our own travel")

    overview = text_of(client.get(page(event)).get_data(as_text=True))
    reword = send(client, event, f"requirements/{requirement.id}", text="We have a real need to buy")
    reworded = send(client, event, f"requirements/{requirement.id}", text="We have a real need to buy", confirmed="1")
    remove = send(client, event, f"requirements/{requirement.id}/remove")
    removed = send(client, event, f"requirements/{requirement.id}/remove", confirmed="1")

    assert "We have a need to buy" in text_of(form)
    assert refused.status_code == 400
    assert signed.status_code == 303
    assert "1 person on the lists has not confirmed “We cover our own travel”." in overview
    assert reword.status_code == 200
    assert "1 person confirmed the requirement as it is worded now: “We have a need to buy”." in text_of(
        reword.get_data(as_text=True)
    )
    assert reworded.status_code == 303
    assert "1 confirmation will be deleted for good." in text_of(remove.get_data(as_text=True))
    assert removed.status_code == 303
    assert [r.text for r in rows(app, ParticipationRequirement, event)] == ["We cover our own travel"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(RequirementConfirmation)) == 0
    history = log(client, event)
    assert ("the requirement “We have a real need to buy” changed by Owner: Text: We have a need to buy → We have a "
            "real need to buy") in history  # fmt: skip
    assert "the requirement “We have a real need to buy” and its 1 confirmation removed by Owner" in history


def test_another_organiser_can_neither_see_nor_change_the_form(app, client, event, create_account, log_in):
    add_question(client, event, "Diet")
    send(client, event, "requirements/new", text="We have a need")
    qid, rid = question_id(app, event, "Diet"), rows(app, ParticipationRequirement, event)[0].id
    create_account("other@example.org")
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/manage/").get_data(as_text=True))})
    log_in(client, "other@example.org")
    token = csrf_token(client.get("/manage/").get_data(as_text=True))

    answers = [
        client.get(page(event)).status_code,
        client.get(f"/manage/events/{event.id}/questions/{qid}").status_code,
        client.post(f"/manage/events/{event.id}/questions/new", data={"csrf_token": token, "label": "Mine",
                                                                       "kind": "short_text"}).status_code,
        client.post(f"/manage/events/{event.id}/questions/{qid}", data={"csrf_token": token, "label": "Mine",
                                                                         "kind": "short_text"}).status_code,
        client.post(f"/manage/events/{event.id}/questions/{qid}/move", data={"csrf_token": token}).status_code,
        client.post(f"/manage/events/{event.id}/questions/{qid}/remove", data={"csrf_token": token}).status_code,
        client.post(f"/manage/events/{event.id}/requirements/{rid}/remove", data={"csrf_token": token}).status_code,
    ]  # fmt: skip

    assert answers == [403] * 7
    assert [q.label for q in rows(app, CustomQuestion, event)] == ["Diet"]
    assert len(rows(app, ParticipationRequirement, event)) == 1


def test_a_question_of_another_event_is_not_found(app, client, event, create_event):
    other = create_event(created_by_id=None)
    with app.app_context():
        foreign = CustomQuestion(event_id=other.id, label="Elsewhere", kind=QuestionKind.SHORT_TEXT)
        db.session.add(foreign)
        db.session.commit()
        foreign_id = foreign.id

    assert client.get(f"/manage/events/{event.id}/questions/{foreign_id}").status_code == 404
    assert send(client, event, f"questions/{foreign_id}/remove").status_code == 404


def test_the_page_uses_the_same_number_of_queries_for_1_and_3_questions(app, client, event, create_event,
                                                                        count_queries):  # fmt: skip
    counts = []
    for size in (1, 3):
        target = create_event(created_by_id=event.created_by_id)
        register(app, target, f"p{size}@example.org")  # then the form grows: nobody has answered or confirmed
        with app.app_context():
            for i in range(size):
                db.session.add(CustomQuestion(event_id=target.id, position=i, label=f"Q{i}", kind=QuestionKind.YES_NO))
                db.session.add(ParticipationRequirement(event_id=target.id, position=i, text=f"R{i}"))
            db.session.commit()
        with count_queries() as counter:
            assert client.get(page(target)).status_code == 200
        counts.append(counter.count)

    assert counts[0] == counts[1]
