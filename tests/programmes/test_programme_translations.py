"""A programme's texts in other languages: organisers write them in the back office one language at a time;
the programme page and /programmes show the visitor's language where given and the original where not, every
part marked with its own ``lang``."""

from __future__ import annotations

import pytest

from eventapp.extensions import db
from eventapp.programmes.models import ProgrammeTranslation
from tests.registrations.conftest import csrf_token, text_of


@pytest.fixture
def owner(create_account, client, log_in):
    user = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    return user


def _post(client, path: str, **fields: str):
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **fields})


EMPTY = {"title": "", "summary": "", "description_md": "", "goals_md": "", "target_groups_md": ""}


def test_swedish_version_shows_to_swedish_visitors_with_the_original_where_not_translated(
    app, client, owner, create_programme
):
    parent = create_programme(slug="norge", title="Innovasjonsinnkjøp Norge", language="nb", created_by_id=owner.id)
    programme = create_programme(slug="nordic", title="Nordiske innkjøperdialoger", language="nb",
                                 summary="Et nordisk samarbeid.", description_md="Beskrivelse på **norsk**.",
                                 goals_md="- Felles dialoger", target_groups_md="Offentlige innkjøpere",
                                 parent_id=parent.id, created_by_id=owner.id)  # fmt: skip
    base = f"/manage/programmes/{programme.id}/translations"
    page = client.get(f"{base}?into=sv")
    assert page.status_code == 200
    assert "Nordiske innkjøperdialoger" in text_of(page.get_data(as_text=True))
    saved = _post(client, base, into="sv", **{**EMPTY, "title": "Nordiska inköparDialoger",
                                              "description_md": "Beskrivning på **svenska**.",
                                              "goals_md": "- Gemensamma dialoger"})  # fmt: skip
    assert saved.status_code == 303
    assert saved.headers["Location"].endswith(f"{base}?into=sv&saved=1")
    assert _post(client, f"/manage/programmes/{parent.id}/translations", into="sv",
                 **{**EMPTY, "title": "Innovationsupphandling Norge"}).status_code == 303  # fmt: skip

    swedish = client.get("/programmes/nordic?lang=sv").get_data(as_text=True)
    assert '<header lang="sv">' in swedish
    assert "<h1>Nordiska inköparDialoger</h1>" in swedish
    assert '<p class="lead" lang="nb">Et nordisk samarbeid.</p>' in swedish  # not translated: the original
    assert '<section class="prose" lang="sv"' in swedish
    assert "<strong>svenska</strong>" in swedish
    assert '<div lang="sv"><ul>\n<li>Gemensamma dialoger</li>' in swedish
    assert '<div lang="nb"><p>Offentlige innkjøpere</p>' in swedish
    assert 'lang="sv">Innovationsupphandling Norge</a>' in swedish  # the parent's title, translated too
    assert "<title>Nordiska inköparDialoger" in swedish

    finnish = client.get("/programmes/nordic?lang=fi").get_data(as_text=True)  # no Finnish version: original
    assert '<header lang="nb">' in finnish
    assert "<h1>Nordiske innkjøperdialoger</h1>" in finnish

    index_sv = client.get("/programmes?lang=sv").get_data(as_text=True)
    assert 'lang="sv">Nordiska inköparDialoger</a></h3>' in index_sv
    assert '<p lang="nb">Et nordisk samarbeid.</p>' in index_sv
    parent_sv = client.get("/programmes/norge?lang=sv").get_data(as_text=True)
    assert 'lang="sv">Nordiska inköparDialoger</a></li>' in parent_sv  # the programme under it, translated


def test_emptying_every_field_removes_the_translation(app, client, owner, create_programme):
    programme = create_programme(slug="mine", language="en", created_by_id=owner.id)
    base = f"/manage/programmes/{programme.id}/translations"
    assert _post(client, base, into="nb", **{**EMPTY, "summary": "Kort"}).status_code == 303
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammeTranslation.locale)).all() == ["nb"]
    assert _post(client, base, into="nb", **EMPTY).status_code == 303
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammeTranslation)).first() is None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "t" * 201}, "Field cannot be longer than 200 characters."),
        ({"summary": "Two\r\nlines"}, "line breaks and invisible control characters"),
        ({"goals_md": "bell\x07"}, "invisible control character"),
        ({"description_md": "d" * 50_001}, "Field cannot be longer than 50000 characters."),
    ],
)
def test_bad_translations_are_refused_with_a_message(app, client, owner, create_programme, fields, message):
    programme = create_programme(slug="mine", language="en", created_by_id=owner.id)
    answer = _post(client, f"/manage/programmes/{programme.id}/translations", into="sv", **{**EMPTY, **fields})
    assert answer.status_code == 400
    assert message in text_of(answer.get_data(as_text=True))
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammeTranslation)).first() is None


def test_the_programmes_own_language_or_an_unknown_one_is_never_a_translation(app, client, owner,
                                                                               create_programme):  # fmt: skip
    programme = create_programme(slug="mine", language="nb", created_by_id=owner.id)
    base = f"/manage/programmes/{programme.id}/translations"
    for wrong in ("nb", "xx", "", "sv%0D%0A", "%00"):
        page = client.get(f"{base}?into={wrong}")
        assert page.status_code == 200
        assert 'name="into" value="nn"' in page.get_data(as_text=True), (wrong, text_of(page.get_data(as_text=True)))
    assert _post(client, base, into="nb", **{**EMPTY, "title": "Norsk"}).status_code == 303  # saved as nn
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammeTranslation.locale)).all() == ["nn"]


def test_the_preview_shows_the_translated_description_without_saving(app, client, owner, create_programme):
    programme = create_programme(slug="mine", language="en", created_by_id=owner.id)
    answer = _post(client, f"/manage/programmes/{programme.id}/translations", into="sv", preview="1",
                   **{**EMPTY, "description_md": "Hej **alla**"})  # fmt: skip
    assert answer.status_code == 200
    assert "<strong>alla</strong>" in answer.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(ProgrammeTranslation)).first() is None


def test_markup_in_a_translation_is_escaped_or_sanitised(app, client, owner, create_programme):
    programme = create_programme(slug="mine", language="en", created_by_id=owner.id)
    fields = {**EMPTY, "title": "<script>alert(1)</script>", "goals_md": "<img src=x onerror=alert(1)>"}
    assert _post(client, f"/manage/programmes/{programme.id}/translations", into="sv", **fields).status_code == 303
    html = client.get("/programmes/mine?lang=sv").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "onerror" not in html
