"""The organiser's side: setting up the survey, the results with charts and tables, exports that are safe
to open and name nobody when anonymous, a programme's averages, and fixed query counts."""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import load_workbook

from tests.registrations.conftest import csrf_token, text_of
from tests.surveys.test_answering import answer


@pytest.fixture
def owner(client, log_in, create_account):
    """The client signed in as kari@example.org, who owns the events ``make_ended`` makes."""
    client.user_id = create_account("kari@example.org").id
    log_in(client, "kari@example.org")
    return client


def post(client, url: str, page_url: str, data: dict):
    token = csrf_token(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_an_organiser_adds_a_survey_and_its_questions(app, client, make_ended, log_in):
    ended = make_ended(with_survey=False)
    log_in(client, "kari@example.org")
    url = f"/manage/events/{ended.id}/survey"
    page = text_of(client.get(url).get_data(as_text=True))
    assert "Add a survey to this event" in page
    assert post(client, url, url, {"anonymous": "no", "intro": "Thanks for coming"}).status_code == 303
    bad = post(client, f"{url}/questions", url, {"label": "Rate it", "kind": "scale", "choices": "a\nb"})
    assert bad.status_code == 400
    assert "A scale has no choices of its own." in text_of(bad.get_data(as_text=True))
    hostile = post(client, f"{url}/questions", url, {"label": "Rate\x1bit", "kind": "scale"})
    assert hostile.status_code == 400
    unknown = post(client, f"{url}/questions", url, {"label": "Rate it", "kind": "stars"})
    assert unknown.status_code == 400
    for label, kind in (("Rate it", "scale"), ("Recommend?", "recommend")):
        assert post(client, f"{url}/questions", url, {"label": label, "kind": kind, "required": "y"}).status_code == 303
    page = text_of(client.get(url).get_data(as_text=True))
    assert "Rate it" in page
    assert "A scale from 1 to 5" in page
    assert "Would recommend, from 0 to 10" in page


def test_questions_and_anonymity_are_fixed_once_someone_answered(app, owner, make_ended):
    ended = make_ended(anonymous=True)
    assert answer(app, ended, "ola@example.org").status_code == 303
    url = f"/manage/events/{ended.id}/survey"
    changed = post(owner, url, url, {"anonymous": "no"})
    assert changed.status_code == 409
    assert "can no longer change" in text_of(changed.get_data(as_text=True))
    qid = ended.questions["scale"]
    edit = post(owner, f"{url}/questions/{qid}", f"{url}/questions/{qid}", {"label": "Other", "kind": "scale"})
    assert edit.status_code == 409, text_of(edit.get_data(as_text=True))[-1500:]
    removed = post(owner, f"{url}/questions/{qid}/remove", url, {})
    assert removed.status_code == 409


def test_the_results_show_charts_tables_averages_and_texts(app, owner, make_ended):
    ended = make_ended()
    q = ended.questions
    answer(app, ended, "ola@example.org")
    answer(app, ended, "emma@example.org", **{f"q_{q['scale']}": "2", f"q_{q['recommend']}": "3",
                                              f"q_{q['long_text']}": "=HYPERLINK(\"http://x\")"})  # fmt: skip
    html = owner.get(f"/manage/events/{ended.id}/survey/results").get_data(as_text=True)
    page = text_of(html)
    assert html.count('role="img"') == 5  # scale, recommend, one choice, several choices, yes/no
    assert "Average: 3.0" in page  # (4 + 2) / 2
    assert "Net Promoter Score: 0" in page  # one promoter (9), one detractor (3)
    assert "More time for questions, please." in page
    assert "Answers 2" in page
    assert re.search(r"<title id=\"chart-q1-title\">Answers to “How useful was the webinar\?”</title>", html)


def test_exports_are_formula_safe_and_anonymous_ones_name_nobody(app, owner, make_ended):
    ended = make_ended()
    answer(app, ended, "ola@example.org", **{f"q_{ended.questions['short_text']}": "=1+2"})
    response = owner.get(f"/manage/events/{ended.id}/survey/results.csv")
    assert response.status_code == 200
    text = response.get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "How useful was the webinar?"
    assert "'=1+2" in rows[1]
    assert "Ola" not in text
    assert "ola@example.org" not in text
    workbook = load_workbook(io.BytesIO(owner.get(f"/manage/events/{ended.id}/survey/results.xlsx").get_data()))
    cells = [cell.value for row in workbook.active.iter_rows() for cell in row]
    assert "'=1+2" in cells
    assert "Climate; Roads" in cells


def test_a_named_export_says_who(app, owner, make_ended):
    ended = make_ended(anonymous=False)
    answer(app, ended, "ola@example.org")
    rows = list(csv.reader(io.StringIO(owner.get(f"/manage/events/{ended.id}/survey/results.csv")
                                       .get_data().decode("utf-8-sig"))))  # fmt: skip
    assert rows[0][:2] == ["Name", "Organisation"]
    assert rows[1][0] == "Ola"


def test_the_results_page_costs_the_same_queries_for_1_or_3_answers(app, owner, make_ended, count_queries):
    ended = make_ended()
    url = f"/manage/events/{ended.id}/survey/results"
    answer(app, ended, "ola@example.org")
    owner.get(url)
    with count_queries() as one:
        owner.get(url)
    answer(app, ended, "emma@example.org")
    answer(app, ended, "liisa@example.org")
    with count_queries() as three:
        assert owner.get(url).status_code == 200
    assert one.count == three.count <= 12


def test_a_programme_shows_its_events_averages_over_time(app, owner, make_ended, create_programme, count_queries):
    from datetime import timedelta

    from eventapp.db import utcnow

    programme = create_programme(created_by_id=owner.user_id)
    first = make_ended(programme=programme, starts_at=utcnow() + timedelta(days=3))
    second = make_ended(programme=programme, starts_at=utcnow() + timedelta(days=4))
    answer(app, first, "ola@example.org")
    answer(app, second, "ola@example.org", **{f"q_{second.questions['scale']}": "5"})
    url = f"/manage/programmes/{programme.id}/surveys"
    with count_queries() as counted:
        html = owner.get(url).get_data(as_text=True)
    page = text_of(html)
    assert html.count('role="img"') == 2, text_of(html)[:1500]
    assert "4.0" in page  # the first event's 1-5 average
    assert "5.0" in page  # the second's
    assert "9.0" in page  # both "would recommend" averages
    assert counted.count <= 10


def test_other_organisers_cannot_see_the_survey(app, client, make_ended, create_account, log_in):
    ended = make_ended()
    create_account("other@example.org")
    log_in(client, "other@example.org")
    for path in ("", "/results", "/results.csv", "/results.xlsx", f"/questions/{ended.questions['scale']}"):
        assert client.get(f"/manage/events/{ended.id}/survey{path}").status_code == 403, path
