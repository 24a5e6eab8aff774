"""A call's title and texts in other languages: the organiser writes the call in its own language and adds
others in the back office; the call's page, the programme page's call section, /programmes and the call's
mails show the reader's language where given and the call's own where not, marked with ``lang`` where it
differs from the page's. A new call starts in its programme's zone, which the programme form sets."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from eventapp.accounts.models import AuditEntry
from eventapp.calls.models import ApplicationAnswer, CallTranslation
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from eventapp.programmes.models import Programme
from tests.registrations.conftest import csrf_token, text_of


@pytest.fixture
def owner(create_account, client, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def _post(client, path: str, **fields: str):
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **fields})


def _tag_with(html: str, text: str) -> str:
    """The opening tag of the element whose text starts with ``text``."""
    match = re.search(r"<(\w+)([^>]*)>\s*(?:← )?" + re.escape(text), html)
    assert match, text
    return match.group(0)


def test_the_swedish_version_shows_to_swedish_readers_and_the_original_elsewhere(
    app, client, owner, create_programme, create_call, apply_to
):
    programme = create_programme(slug="dialog", title="Innkjøperdialog", language="nb", created_by_id=owner.id)
    call = create_call(programme=programme, title="Nordisk innkjøperdialog", summary="Seks til tolv organisasjoner.",
                       description_md="Vi søker **offentlige innkjøpere**.", language="nb")  # fmt: skip
    base = f"/manage/calls/{call.id}/translations"
    form = client.get(f"{base}?into=sv")
    assert form.status_code == 200
    assert "The call is written in Norwegian Bokmål" in text_of(form.get_data(as_text=True))

    saved = _post(client, base, into="sv", title="Nordisk inköparedialog", summary="",
                  description_md="Vi söker **offentliga inköpare**.")  # fmt: skip
    assert saved.status_code == 303
    with app.app_context():
        row = db.session.get(CallTranslation, (call.id, "sv"))
        assert (row.title, row.description_html) == (
            "Nordisk inköparedialog",
            "<p>Vi söker <strong>offentliga inköpare</strong>.</p>",
        )
        assert db.session.scalars(select(AuditEntry.action).where(AuditEntry.action == "call.translated")).all()

    page = client.get(f"/programmes/dialog/calls/{call.id}?lang=sv").get_data(as_text=True)
    assert "<h1>Nordisk inköparedialog</h1>" in page  # the page's own language: no lang of its own
    assert _tag_with(page, "Seks til tolv") == '<p class="lead" lang="nb">Seks til tolv'  # not translated
    assert "offentliga inköpare" in page
    finnish = client.get(f"/programmes/dialog/calls/{call.id}?lang=fi").get_data(as_text=True)
    assert '<h1 lang="nb">Nordisk innkjøperdialog</h1>' in finnish  # the call's own language, marked

    for path in ("/programmes/dialog?lang=sv", "/programmes?lang=sv"):
        listed = client.get(path).get_data(as_text=True)
        assert ">Nordisk inköparedialog</a>" in listed, path
        assert "Nordisk innkjøperdialog" not in listed, path
    assert 'lang="nb">Nordisk innkjøperdialog</a>' in client.get("/programmes/dialog?lang=da").get_data(as_text=True)

    client.get("/?lang=sv")  # the applicant reads the site in Swedish: the mail is in Swedish, with the title
    apply_to(call)
    with app.app_context():
        mail = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
        assert "Nordisk inköparedialog" in mail.subject
        assert "Nordisk inköparedialog" in mail.body_text

    emptied = _post(client, base, into="sv", title="", summary="", description_md="")
    assert emptied.status_code == 303
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "sv")) is None
    assert '<h1 lang="nb">Nordisk innkjøperdialog</h1>' in client.get(
        f"/programmes/dialog/calls/{call.id}?lang=sv"
    ).get_data(as_text=True)


def test_a_translation_too_long_into_the_call_s_own_language_or_by_a_stranger_is_refused(
    app, client, owner, create_programme, create_call, create_account, log_in
):
    call = create_call(programme=create_programme(created_by_id=owner.id), language="en")
    base = f"/manage/calls/{call.id}/translations"
    assert f'href="/manage/calls/{call.id}/translations?into=en"' not in client.get(base).get_data(as_text=True)
    too_long = _post(client, base, into="fi", title="x" * 201)
    assert too_long.status_code == 400
    assert 'name="title"' in too_long.get_data(as_text=True)
    into_own = _post(client, base, into="en", title="Own language")  # falls back to the first other language
    assert into_own.status_code == 303
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "en")) is None
    create_account("stranger@example.org")
    stranger = app.test_client()
    log_in(stranger, "stranger@example.org")
    assert stranger.get(base).status_code == 403
    assert _post(stranger, base, into="fi", title="Mine").status_code == 403
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "fi")) is None


def test_a_programme_s_zone_comes_from_its_form_or_its_language_and_a_new_call_starts_in_it(
    app, client, owner, create_programme
):
    form = {"title": "Inköparnätverket", "slug": "", "summary": "", "description_md": "", "website_url": "",
            "language": "sv", "group": "other", "parent_id": ""}  # fmt: skip
    assert _post(client, "/manage/programmes/new", **form, timezone="").status_code == 303
    with app.app_context():
        swedish = db.session.scalars(select(Programme).where(Programme.slug == "inkoparnatverket")).one()
        assert swedish.timezone == "Europe/Stockholm"  # from the language's country
        swedish_id = swedish.id
    new_call = client.get(f"/manage/programmes/{swedish_id}/calls/new").get_data(as_text=True)
    assert '<option selected value="Europe/Stockholm">' in new_call

    changed = _post(client, f"/manage/programmes/{swedish_id}/edit", **{**form, "slug": "inkoparnatverket"},
                    timezone="Europe/Helsinki")  # fmt: skip
    assert changed.status_code == 303
    assert '<option selected value="Europe/Helsinki">' in client.get(
        f"/manage/programmes/{swedish_id}/calls/new"
    ).get_data(as_text=True)
    refused = _post(client, f"/manage/programmes/{swedish_id}/edit", **{**form, "slug": "inkoparnatverket"},
                    timezone="Mars/Olympus_Mons")  # fmt: skip
    assert refused.status_code == 400
    with app.app_context():
        assert db.session.get(Programme, swedish_id).timezone == "Europe/Helsinki"
    other = create_programme(slug="oslo", language="en", created_by_id=owner.id)
    with app.app_context():
        assert db.session.get(Programme, other.id).timezone == "Europe/Oslo"


def _checklist_call(create_programme, create_call, owner):
    programme = create_programme(slug="dialog", title="Innkjøperdialog", language="nb", created_by_id=owner.id)
    return create_call(
        programme=programme, title="Nordisk innkjøperdialog", language="nb",
        requirements=("Ledelsen har forankret prosjektet", "Vi deltar på tre samlinger"),
        questions=(("Hvor stor er kommunen?", "single_choice", "Under 10 000\n10 000–50 000\nOver 50 000"),
                   ("Hva vil dere kjøpe?", "short_text", "")),
    )  # fmt: skip


def test_the_checklist_and_questions_in_swedish_show_to_swedish_applicants_and_answers_keep_the_original_choice(
    app, client, owner, create_programme, create_call, apply_to
):
    call = _checklist_call(create_programme, create_call, owner)
    first, second = (r.id for r in call.requirements)
    size, buying = (q.id for q in call.questions)
    base = f"/manage/calls/{call.id}/translations"
    page = client.get(f"{base}?into=sv").get_data(as_text=True)
    assert "Original: Ledelsen har forankret prosjektet" in text_of(page)
    assert f'name="question_{size}_choices"' in page
    assert f'name="question_{buying}_choices"' not in page  # a text question has no choices

    saved = _post(client, base, into="sv", title="", summary="", description_md="", **{
        f"requirement_{first}": "Ledningen har förankrat projektet", f"requirement_{second}": "",
        f"question_{size}_label": "Hur stor är kommunen?",
        f"question_{size}_choices": "Under 10 000\n10 000–50 000 invånare\nÖver 50 000\n",
    })  # fmt: skip
    assert saved.status_code == 303
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "sv")).parts == {
            "requirements": {str(first): "Ledningen har förankrat projektet"},
            "questions": {str(size): {"label": "Hur stor är kommunen?",
                                      "choices": "Under 10 000\n10 000–50 000 invånare\nÖver 50 000"}},
        }  # fmt: skip
    assert "Ledningen har förankrat projektet" in client.get(f"{base}?into=sv").get_data(as_text=True)

    detail = client.get(f"/programmes/dialog/calls/{call.id}?lang=sv").get_data(as_text=True)
    assert "<li>Ledningen har förankrat projektet</li>" in detail  # the page's language: no lang of its own
    assert '<li lang="nb">Vi deltar på tre samlinger</li>' in detail  # not translated: the original, marked
    form = client.get(f"/programmes/dialog/calls/{call.id}/apply").get_data(as_text=True)
    assert "Hur stor är kommunen?" in form
    assert "Hvor stor er kommunen?" not in form
    assert re.search(r'value="10 000–50 000"[^>]*> <label[^>]*>10 000–50 000 invånare</label>', form)
    assert "Hva vil dere kjøpe?" in form  # not translated
    finnish = client.get(f"/programmes/dialog/calls/{call.id}/apply?lang=fi").get_data(as_text=True)
    assert "Hvor stor er kommunen?" in finnish
    assert "Hur stor" not in finnish

    client.get("/?lang=sv")
    assert apply_to(call, **{f"answer_{size}": "10 000–50 000"}).status_code == 303
    with app.app_context():
        [answer] = db.session.scalars(select(ApplicationAnswer).where(ApplicationAnswer.question_id == size)).all()
        assert answer.value == "10 000–50 000"  # the original choice: the review list stays in one language


def test_translated_choices_must_be_one_line_each_and_a_checklist_only_translation_is_kept_until_emptied(
    app, client, owner, create_programme, create_call
):
    call = _checklist_call(create_programme, create_call, owner)
    first = call.requirements[0].id
    size = call.questions[0].id
    base = f"/manage/calls/{call.id}/translations"
    wrong = _post(client, base, into="fi", **{f"question_{size}_choices": "Alle 10 000\nYli 50 000"})
    assert wrong.status_code == 400
    assert "Give one line for each of the 3 choices" in text_of(wrong.get_data(as_text=True))
    too_long = _post(client, base, into="fi", **{f"requirement_{first}": "x" * 501})
    assert too_long.status_code == 400
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "fi")) is None

    only_checklist = _post(client, base, into="fi", **{f"requirement_{first}": "Johto on sitoutunut hankkeeseen"})
    assert only_checklist.status_code == 303
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "fi")).parts == {
            "requirements": {str(first): "Johto on sitoutunut hankkeeseen"}
        }
    emptied = _post(client, base, into="fi", **{f"requirement_{first}": " "})
    assert emptied.status_code == 303
    with app.app_context():
        assert db.session.get(CallTranslation, (call.id, "fi")) is None
