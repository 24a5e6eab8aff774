"""An event's participation requirements and sign-up questions in other languages: the organiser words them
on the event's Languages page; a person signing up in that language reads that wording, the original
(marked with its language) where none is given, and the answer stored is the original choice."""

from __future__ import annotations

import re

from sqlalchemy import select

from eventapp.events.models import EventTranslation
from eventapp.extensions import db
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement, Registration
from tests.registrations.conftest import FORM, csrf_token, text_of


def _dialogue(app, create_event, create_account, client, log_in):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    event = create_event(created_by_id=owner.id, language="nb", title="Innkjøperdialog")
    with app.app_context():
        requirements = [
            ParticipationRequirement(event_id=event.id, position=0, text="Ledelsen har forankret prosjektet"),
            ParticipationRequirement(event_id=event.id, position=1, text="Vi deltar på tre samlinger"),
        ]
        questions = [
            CustomQuestion(event_id=event.id, position=0, label="Hvor stor er kommunen?", required=True,
                           kind=QuestionKind.SINGLE_CHOICE, choices="Under 10 000\n10 000–50 000\nOver 50 000",
                           help_text="Innbyggere per 1. januar"),
            CustomQuestion(event_id=event.id, position=1, label="Hva vil dere kjøpe?", kind=QuestionKind.SHORT_TEXT),
        ]  # fmt: skip
        db.session.add_all([*requirements, *questions])
        db.session.commit()
        ids = ([r.id for r in requirements], [q.id for q in questions])
    return event, ids


def _save(client, event_id: int, into: str, **fields: str):
    url = f"/manage/events/{event_id}/translations?into={into}"
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={"into": into, "title": "", "summary": "", "description_md": "", **fields,
                                  "csrf_token": token})  # fmt: skip


def test_swedish_wording_shows_to_swedish_people_signing_up_and_answers_keep_the_original_choice(
    app, client, create_event, create_account, log_in
):
    event, ((first, second), (size, buying)) = _dialogue(app, create_event, create_account, client, log_in)
    page = client.get(f"/manage/events/{event.id}/translations?into=sv").get_data(as_text=True)
    assert "Original: Ledelsen har forankret prosjektet" in text_of(page)
    assert f'name="question_{size}_choices"' in page
    assert f'name="question_{size}_help_text"' in page
    assert f'name="question_{buying}_choices"' not in page  # a text question has no choices
    assert f'name="question_{buying}_help_text"' not in page  # nor a hint when the original has none

    saved = _save(client, event.id, "sv", **{
        f"requirement_{first}": "Ledningen har förankrat projektet", f"requirement_{second}": "",
        f"question_{size}_label": "Hur stor är kommunen?",
        f"question_{size}_choices": "Under 10 000\n10 000–50 000 invånare\nÖver 50 000\n",
    })  # fmt: skip
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(EventTranslation, (event.id, "sv")).parts == {
            "requirements": {str(first): "Ledningen har förankrat projektet"},
            "questions": {str(size): {"label": "Hur stor är kommunen?",
                                      "choices": "Under 10 000\n10 000–50 000 invånare\nÖver 50 000"}},
        }  # fmt: skip
    assert "Ledningen har förankrat projektet" in client.get(
        f"/manage/events/{event.id}/translations?into=sv"
    ).get_data(as_text=True)  # the saved wording fills the form again

    visitor = app.test_client()
    swedish = visitor.get(f"/events/{event.slug}/register?lang=sv").get_data(as_text=True)
    # Each text in its language: a translated one as the page's, one left in the original marked with its
    # lang, so the page's own words around it ("(obligatoriskt)", an error) keep the page's language.
    assert f'<label for="requirement_{first}">Ledningen har förankrat projektet</label>' in swedish
    assert f'<label for="requirement_{second}"><span lang="nb">Vi deltar på tre samlinger</span></label>' in swedish
    assert 'Hur stor är kommunen? <span class="field__required">(obligatoriskt)</span></legend>' in swedish
    assert (
        f'<p class="field__hint" id="answer_{size}-hint"><span lang="nb">Innbyggere per 1. januar</span></p>' in swedish
    )
    assert '<span lang="nb">Hva vil dere kjøpe?</span> <span class="field__optional">(valfri)</span>' in swedish
    assert "Ledningen har förankrat projektet" in swedish
    assert "Hur stor är kommunen?" in swedish
    assert "Hvor stor er kommunen?" not in swedish
    assert re.search(r'value="10 000–50 000"[^>]*> <label[^>]*>10 000–50 000 invånare</label>', swedish)
    assert "Hva vil dere kjøpe?" in swedish  # not translated
    finnish = visitor.get(f"/events/{event.slug}/register?lang=fi").get_data(as_text=True)
    assert "Hvor stor er kommunen?" in finnish
    assert "Hur stor" not in finnish
    assert "Ledelsen har forankret prosjektet" in finnish

    token = csrf_token(swedish)
    signed = visitor.post(f"/events/{event.slug}/register", data={
        **FORM, "csrf_token": token, f"requirement_{first}": "y", f"requirement_{second}": "y",
        f"answer_{size}": "10 000–50 000",
    })  # fmt: skip
    assert signed.status_code == 303
    with app.app_context():
        registration = db.session.scalars(select(Registration)).one()
        answers = {a.question_id: a.value for a in registration.answers}
    assert answers[size] == "10 000–50 000"  # the original choice: lists and exports stay in one language


def test_translated_choices_must_be_one_line_each_and_a_wording_only_translation_is_kept_until_emptied(
    app, client, create_event, create_account, log_in
):
    event, ((first, _), (size, _)) = _dialogue(app, create_event, create_account, client, log_in)
    wrong = _save(client, event.id, "fi", **{f"question_{size}_choices": "Alle 10 000\nYli 50 000"})
    assert wrong.status_code == 400
    assert "Give one line for each of the 3 choices" in text_of(wrong.get_data(as_text=True))
    too_long = _save(client, event.id, "fi", **{f"requirement_{first}": "x" * 501})
    assert too_long.status_code == 400
    with app.app_context():
        assert db.session.get(EventTranslation, (event.id, "fi")) is None  # nothing half-written

    only_wording = _save(client, event.id, "fi", **{f"requirement_{first}": "Johto on sitoutunut hankkeeseen"})
    assert only_wording.status_code == 303
    with app.app_context():
        assert db.session.get(EventTranslation, (event.id, "fi")).parts == {
            "requirements": {str(first): "Johto on sitoutunut hankkeeseen"}
        }
    emptied = _save(client, event.id, "fi", **{f"requirement_{first}": " "})
    assert emptied.status_code == 303
    with app.app_context():
        assert db.session.get(EventTranslation, (event.id, "fi")) is None


def test_the_demo_dialogue_shows_its_checklist_and_question_in_swedish(app, client):
    """On ``make run`` the Nordic buyer dialogue (written in Norwegian) has a Swedish wording of its
    checklist and question, so a newcomer sees the feature; its title and texts fall back to Norwegian."""
    from eventapp.demo import seed_demo

    with app.app_context():
        seed_demo()
    slug = "nordisk-bestillerdialog-utslippsfrie-leveranser"
    swedish = text_of(client.get(f"/events/{slug}/register?lang=sv").get_data(as_text=True))
    assert "Deltagandet är förankrat i ledningen" in swedish
    assert "Vilka leveranser vill ni göra utsläppsfria?" in swedish
    norwegian = text_of(client.get(f"/events/{slug}/register?lang=nb").get_data(as_text=True))
    assert "Deltakelsen er forankret i ledelsen" in norwegian
    assert "Deltagandet" not in norwegian


def test_markup_in_a_question_or_its_translation_is_text_on_the_form_in_any_language(
    app, client, create_event, create_account, log_in
):
    """A label in another language than the page's is wrapped in a span with its lang (``wording.marked``):
    what the organiser typed stays text inside it, original or translated."""
    event, ((first, _), (_size, buying)) = _dialogue(app, create_event, create_account, client, log_in)
    with app.app_context():
        db.session.get(CustomQuestion, buying).label = 'Hva? <img src=x onerror="alert(1)">'
        db.session.commit()
    saved = _save(client, event.id, "sv", **{f"requirement_{first}": "<script>alert(2)</script> Ledningen"})
    assert saved.status_code == 303

    for lang in ("sv", "fi"):
        page = app.test_client().get(f"/events/{event.slug}/register?lang={lang}").get_data(as_text=True)
        assert "<img src=x" not in page
        assert "<script>alert(2)" not in page
        assert '<span lang="nb">Hva? &lt;img src=x onerror=&#34;alert(1)&#34;&gt;</span>' in page
    swedish = app.test_client().get(f"/events/{event.slug}/register?lang=sv").get_data(as_text=True)
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Ledningen" in swedish
