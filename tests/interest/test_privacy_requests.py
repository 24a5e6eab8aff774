"""GDPR in the back office covers interest lists: finding a person by address finds their subscriptions
(pending and confirmed) in the programmes the organiser may manage (every programme for an administrator),
the download gives them, and erasing deletes them with their links, their outbox rows and .eml files."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from eventapp.accounts.enums import Role
from eventapp.accounts.models import AuditEntry
from eventapp.extensions import db
from eventapp.interest.models import InterestSubscription, InterestToken
from eventapp.mail.models import OutboxMessage
from eventapp.registrations import services
from eventapp.registrations.models import Registration
from tests.interest.conftest import link
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data

ADDRESS = "kari.nordmann@example.org"


def _confirm(client, body: str) -> None:
    token = link(body, "interest/confirm")
    page = client.get(f"/interest/confirm/{token}").get_data(as_text=True)
    assert client.post(f"/interest/confirm/{token}", data={"csrf_token": csrf_token(page)}).status_code == 303


def _setup(app, client, ask, create_programme, create_account):
    """Kari follows two of the owner's programmes (one confirmed, one pending) and one of another
    organiser's (pending); Per follows one of the owner's. Every mail is written as an .eml file."""
    owner = create_account("owner@example.org")
    other = create_account("other@example.org")
    dialog = create_programme(title="Innovasjon Øst", slug="ost", created_by_id=owner.id)
    green = create_programme(title="Grønne innkjøp", slug="gronn", created_by_id=owner.id)
    theirs = create_programme(title="Leverandørdialog", slug="lev", created_by_id=other.id)
    for slug in ("ost", "gronn", "lev"):
        assert ask(slug, email=ADDRESS, language="nn").status_code == 303
    assert ask("ost", name="Per Hansen", email="per@example.org").status_code == 303
    with app.app_context():
        body = db.session.scalars(
            select(OutboxMessage.body_text)
            .join(InterestSubscription, InterestSubscription.id == OutboxMessage.interest_subscription_id)
            .where(InterestSubscription.programme_id == dialog.id, InterestSubscription.email == ADDRESS)
        ).one()
    _confirm(client, body)
    drain(app)  # no MAIL_SERVER in the tests: the mails become .eml files
    return dialog, green, theirs


def _kari(app) -> dict[int, InterestSubscription]:
    with app.app_context():
        found = {s.programme_id: s for s in db.session.scalars(select(InterestSubscription).where(
            InterestSubscription.email == ADDRESS))}  # fmt: skip
        db.session.expunge_all()
        return found


def _mail_ids(app, subscription_ids) -> list[int]:
    with app.app_context():
        return list(db.session.scalars(select(OutboxMessage.id).where(
            OutboxMessage.interest_subscription_id.in_(subscription_ids))))  # fmt: skip


def _files(app, mail_ids) -> list[Path]:
    folder = Path(app.instance_path) / "mail"
    return [path for mail_id in mail_ids for path in folder.glob(f"*-{mail_id:08d}.eml")]


def _find(client, address: str):
    page = client.get("/manage/privacy").get_data(as_text=True)
    return client.post("/manage/privacy", data={"csrf_token": csrf_token(page), "email": address})


def _step(client, page: str, action: str, **fields: str):
    return client.post("/manage/privacy", data={"action": action, "csrf_token": csrf_token(page), **fields})


def test_an_organiser_finds_downloads_and_erases_a_subscriber_of_their_programmes(
    app, client, ask, create_programme, create_account, log_in
):
    dialog, green, theirs = _setup(app, client, ask, create_programme, create_account)
    before = _kari(app)
    erased_ids = [before[dialog.id].id, before[green.id].id]
    mail_ids = _mail_ids(app, erased_ids)
    assert len(mail_ids) == 2  # the confirmation mails ...
    assert len(_files(app, mail_ids)) == 2  # ... written as files
    log_in(client, "owner@example.org")

    found = _find(client, " Kari.Nordmann@Example.org ")
    page = found.get_data(as_text=True)
    download = _step(client, page, "export", email=ADDRESS)
    erased = _step(client, page, "erase", email=ADDRESS, confirm="y")

    text = text_of(page)
    assert found.status_code == 200
    assert "Nothing is held about this address" not in text
    assert "Grønne innkjøp Waiting for confirmation Norsk nynorsk Kari Nordmann Bergen kommune" in text
    assert "Innovasjon Øst Confirmed Norsk nynorsk Kari Nordmann Bergen kommune" in text
    assert "Leverandørdialog" not in text  # another organiser's programme
    assert "3 mails were sent to this address." in text  # by address, as for registrations
    exported = json.loads(download.get_data())
    assert exported["registrations"] == []
    assert len(exported["mails"]) == 3  # the mails go by address: the third programme's confirmation too
    subscriptions = {s["programme"]["title"]: s for s in exported["interest_subscriptions"]}
    assert set(subscriptions) == {"Innovasjon Øst", "Grønne innkjøp"}
    confirmed = subscriptions["Innovasjon Øst"]
    assert confirmed["status"] == "confirmed"
    assert confirmed["language"] == "nn"
    assert confirmed["name"] == "Kari Nordmann"
    assert confirmed["organisation"] == "Bergen kommune"
    assert confirmed["consent_given_at"] == before[dialog.id].confirmed_at.isoformat()
    assert confirmed["privacy_statement_version"] == before[dialog.id].privacy_version != ""
    assert subscriptions["Grønne innkjøp"]["status"] == "pending"
    assert subscriptions["Grønne innkjøp"]["consent_given_at"] is None

    assert erased.status_code == 200
    assert "2 interest-list subscriptions and their mails were deleted." in text_of(erased.get_data(as_text=True))
    assert set(_kari(app)) == {theirs.id}  # another organiser's programme: untouched
    with app.app_context():
        tokens = db.session.scalars(select(InterestToken).where(InterestToken.subscription_id.in_(erased_ids)))
        assert tokens.all() == []
        assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.id.in_(mail_ids))).all() == []
        assert db.session.scalar(select(InterestSubscription.id).where(
            InterestSubscription.email == "per@example.org")) is not None  # fmt: skip
        entries = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "interest.erased")).all()
    assert _files(app, mail_ids) == []
    assert sorted(e.details["programme_id"] for e in entries) == sorted([dialog.id, green.id])
    assert all("kari" not in json.dumps(e.details).casefold() and e.summary == "" for e in entries)

    again = _find(client, ADDRESS)
    assert "Nothing is held about this address in the events you manage." in text_of(again.get_data(as_text=True))


def test_an_administrator_erases_registrations_and_subscriptions_everywhere(
    app, client, ask, create_programme, create_event, create_account, log_in
):
    _setup(app, client, ask, create_programme, create_account)
    event = create_event(title="Bestillerdialog")
    with app.app_context():
        registration_id = services.register(event.id, data(ADDRESS, name="Kari Nordmann")).registration_id
    drain(app)
    ids = [s.id for s in _kari(app).values()]
    mail_ids = _mail_ids(app, ids)
    create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")

    page = _find(client, ADDRESS).get_data(as_text=True)
    erased = _step(client, page, "erase", email=ADDRESS, confirm="y")

    assert "Leverandørdialog" in text_of(page)
    assert "Bestillerdialog" in text_of(page)
    result = text_of(erased.get_data(as_text=True))
    assert "1 registration and its data were deleted." in result
    assert "3 interest-list subscriptions and their mails were deleted." in result
    assert _kari(app) == {}
    with app.app_context():
        assert db.session.scalars(select(InterestToken).where(InterestToken.subscription_id.in_(ids))).all() == []
        assert db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient_email == ADDRESS)).all() == []
        assert db.session.get(Registration, registration_id).email.endswith("@purged.invalid")
    assert _files(app, mail_ids) == []


def test_the_lookup_runs_as_many_queries_for_one_subscription_as_for_six(
    app, client, create_programme, create_account, log_in, count_queries
):
    from eventapp.interest.enums import SubscriptionStatus

    create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    programmes = [create_programme(title=f"Programme {n}") for n in range(6)]
    counts = []
    for subscribed in (programmes[:1], programmes):
        with app.app_context():
            for programme in subscribed:
                if db.session.scalar(select(InterestSubscription.id).where(
                        InterestSubscription.programme_id == programme.id)) is None:  # fmt: skip
                    db.session.add(InterestSubscription(programme_id=programme.id, email=ADDRESS, name="Kari",
                                                        status=SubscriptionStatus.CONFIRMED))  # fmt: skip
            db.session.commit()
        page = client.get("/manage/privacy").get_data(as_text=True)
        with count_queries() as counter:
            found = client.post("/manage/privacy", data={"csrf_token": csrf_token(page), "email": ADDRESS})
        assert found.status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert "Programme 5" in text_of(found.get_data(as_text=True))
