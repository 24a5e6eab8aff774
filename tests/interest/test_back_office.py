"""What organisers see of an interest list: counts by status and language, the exports, removing a person,
and programme news in several languages with a preview and its delivery."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.interest.enums import SubscriptionStatus
from eventapp.interest.models import InterestSubscription, InterestToken
from eventapp.mail.models import OutboxMessage
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of


def _follow(app, programme_id: int, people: list[tuple[str, str, str]]) -> list[int]:
    """(name, email, locale[, status]) → subscription ids."""
    with app.app_context():
        rows = [
            InterestSubscription(
                programme_id=programme_id,
                name=p[0],
                email=p[1],
                locale=p[2],
                status=SubscriptionStatus(p[3] if len(p) > 3 else "confirmed"),
                privacy_version="2026-12-06",
                confirmed_at=utcnow(),
            )
            for p in people
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [r.id for r in rows]


def _organiser(client, create_account, log_in):
    account = create_account("lead@example.org", role=Role.ADMIN)
    log_in(client, account.email)
    return account


def test_list_counts_by_status_and_language_and_exports_safely(app, client, create_programme, create_account, log_in):
    programme = create_programme(title="Innovasjon Øst")
    people = [("=HYPERLINK(\"http://evil\")", "a@example.org", "nb"), ("Berit", "b@example.org", "nb"),
              ("Cecilia", "c@example.org", "sv"), ("Dan", "d@example.org", "da", "pending")]  # fmt: skip
    _follow(app, programme.id, people)
    _organiser(client, create_account, log_in)

    page = client.get(f"/manage/programmes/{programme.id}/interest")
    text = text_of(page.get_data(as_text=True))
    assert page.status_code == 200
    assert "Norsk bokmål 2 0" in text
    assert "Svenska 1 0" in text
    assert "Dansk 0 1" in text
    assert "Total 3 1" in text

    exported = client.get(f"/manage/programmes/{programme.id}/interest.csv")
    rows = list(csv.reader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert exported.headers["Content-Disposition"].endswith('interest-list.csv"')
    assert len(rows) == 5
    assert any(row[0] == '\'=HYPERLINK("http://evil")' for row in rows)  # neutralised, not a formula
    assert not any(cell.startswith("=") for row in rows for cell in row)
    workbook = client.get(f"/manage/programmes/{programme.id}/interest.xlsx")
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(workbook.data)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row if cell.value]
    assert '\'=HYPERLINK("http://evil")' in values
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value is not None)


def test_removing_a_person_deletes_them_their_links_and_mails(app, client, create_programme, create_account, log_in):
    programme = create_programme()
    [kept, removed] = _follow(
        app, programme.id, [("Kept", "kept@example.org", "en"), ("Gone", "gone@example.org", "en")]
    )
    _organiser(client, create_account, log_in)
    with app.app_context():
        from eventapp.interest.messages import announce
        from eventapp.programmes.models import Programme

        announce(db.session.get(Programme, programme.id), kind="interest_news", template="interest_news",
                 subject=lambda _l: "News", context=lambda _l: {"body": "Hello", "programme_url": "x"})  # fmt: skip
        db.session.commit()

    page = client.get(f"/manage/programmes/{programme.id}/interest").get_data(as_text=True)
    response = client.post(f"/manage/programmes/{programme.id}/interest/{removed}/remove",
                           data={"csrf_token": csrf_token(page)})  # fmt: skip

    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(InterestSubscription, removed) is None
        assert db.session.scalars(select(InterestToken.subscription_id)).all() == [kept]
        assert db.session.scalars(select(OutboxMessage.recipient_email)).all() == ["kept@example.org"]
    other = client.post(f"/manage/programmes/{programme.id}/interest/{removed}/remove",
                        data={"csrf_token": csrf_token(page)})  # fmt: skip
    assert other.status_code == 404


def test_programme_news_in_two_languages_with_preview_and_progress(
    app, mail_app, smtp_server, client, create_programme, create_account, log_in
):
    programme = create_programme(title="Nordic Buyer Dialogues", language="en")
    people = [("Kari", "kari@example.org", "nb"), ("Nils", "nils@example.org", "nn"),
              ("Sara", "sara@example.org", "sv"), ("Waiting", "w@example.org", "sv", "pending")]  # fmt: skip
    _follow(app, programme.id, people)
    _organiser(client, create_account, log_in)
    url = f"/manage/programmes/{programme.id}/interest/news"
    token = csrf_token(client.get(url).get_data(as_text=True))
    form = {"csrf_token": token, "subject_nb": "Nytt fra programmet", "body_nb": "Hei!\n\nNy runde i vår.",
            "subject_en": "News from the programme", "body_en": "Hello!\n\nA new round this spring.",
            "fallback": "en"}  # fmt: skip

    preview = client.post(url, data={**form, "preview": "1"})
    text = text_of(preview.get_data(as_text=True))
    assert preview.status_code == 200
    assert "Preview: this goes to 3 people" in text
    assert "Norsk bokmål: 1 person" in text
    assert "English: 2 people" in text
    sent = client.post(url, data={**form, "send": "1", "expected": "3"})
    assert sent.status_code == 303
    drain(mail_app)

    subjects = {m["To"].addresses[0].addr_spec: m["Subject"] for m in smtp_server.inbox.messages}
    assert subjects == {"kari@example.org": "Nytt fra programmet", "nils@example.org": "News from the programme",
                        "sara@example.org": "News from the programme"}  # fmt: skip
    assert all(m["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click" for m in smtp_server.inbox.messages)
    progress = client.get(sent.headers["Location"])
    assert "3" in text_of(progress.get_data(as_text=True))
    again = client.post(url, data={**form, "send": "1", "expected": "3"})
    assert again.status_code == 400  # a second click sends nothing
    assert "not sent twice" in text_of(again.get_data(as_text=True))


def test_news_needs_a_written_fallback_and_whole_versions(app, client, create_programme, create_account, log_in):
    programme = create_programme()
    _follow(app, programme.id, [("Kari", "kari@example.org", "nb")])
    _organiser(client, create_account, log_in)
    url = f"/manage/programmes/{programme.id}/interest/news"
    token = csrf_token(client.get(url).get_data(as_text=True))

    half = client.post(url, data={"csrf_token": token, "subject_sv": "Bara rubrik", "fallback": "sv", "preview": "1"})
    wrong = client.post(url, data={"csrf_token": token, "subject_sv": "Ja", "body_sv": "Ja", "fallback": "fi",
                                   "preview": "1"})  # fmt: skip

    assert half.status_code == 400
    assert "Write the message." in text_of(half.get_data(as_text=True))
    assert wrong.status_code == 400
    assert "Choose a language you have written the news in." in text_of(wrong.get_data(as_text=True))
