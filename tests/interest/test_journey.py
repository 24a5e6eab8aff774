"""The interest list's journey on the real SMTP server of the tests: ask → confirmation mail → confirm → an
organiser publishes an event → one mail per confirmed subscriber, with the RFC 8058 headers → the one-click
POST unsubscribes → the next publication mails nobody who left."""

from __future__ import annotations

from eventapp.accounts.enums import Role
from eventapp.events.enums import EventStatus
from tests.interest.conftest import hidden, link
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of


def _confirm(client, token: str):
    page = client.get(f"/interest/confirm/{token}")
    assert page.status_code == 200
    return client.post(f"/interest/confirm/{token}", data={"csrf_token": csrf_token(page.get_data(as_text=True))})


def _publish(client, event_id: int):
    page = client.get(f"/manage/events/{event_id}/edit").get_data(as_text=True)
    return client.post(f"/manage/events/{event_id}/publish", data={"csrf_token": csrf_token(page)})


def test_subscribe_confirm_publish_unsubscribe(
    app, mail_app, smtp_server, client, ask, create_programme, create_event, create_account, log_in, subscriptions
):
    programme = create_programme(title="Nordic Buyer Dialogues", slug="nordic")
    inbox = smtp_server.inbox

    # Three people ask; two confirm, one never does.
    people = (("Kari Nordmann", "kari@example.org", "nb"), ("Matti Virtanen", "matti@example.org", "fi"),
              ("Sven Svensson", "sven@example.org", "sv"))  # fmt: skip
    for name, email, language in people:
        response = ask("nordic", name=name, email=email, language=language)
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/programmes/nordic/interest/sent")
    drain(mail_app)
    assert len(inbox.messages) == 3
    by_address = {m["To"].addresses[0].addr_spec: m for m in inbox.messages}
    confirmation = by_address["kari@example.org"]
    assert "Nordic Buyer Dialogues" in confirmation["Subject"]
    assert "List-Unsubscribe" not in confirmation  # not a list mail: nobody is on a list yet
    kari_confirm = link(confirmation.get_body(("plain",)).get_content(), "interest/confirm")
    matti_confirm = link(by_address["matti@example.org"].get_body(("plain",)).get_content(), "interest/confirm")
    assert {s.status.value for s in subscriptions()} == {"pending"}

    # Opening the link shows a button; the button confirms, twice with the same answer.
    first = _confirm(client, kari_confirm)
    assert first.status_code == 303
    assert "/interest/" in first.headers["Location"]
    again = _confirm(client, kari_confirm)
    assert again.status_code == 303
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "you are on the list of “Nordic Buyer Dialogues”" in text_of(page)
    _confirm(client, matti_confirm)
    statuses = {s.email: s for s in subscriptions()}
    assert statuses["kari@example.org"].status.value == "confirmed"
    assert statuses["kari@example.org"].confirmed_at is not None
    assert statuses["kari@example.org"].privacy_version
    assert statuses["sven@example.org"].status.value == "pending"

    # An organiser publishes an event of the programme: one mail per confirmed subscriber, in their language.
    organiser = create_account("organiser@example.org", role=Role.ADMIN)
    log_in(client, organiser.email)
    event = create_event(programme=programme, title="Kick-off in Oslo", status=EventStatus.DRAFT)
    assert _publish(client, event.id).status_code == 303
    inbox.messages.clear()
    drain(mail_app)
    assert sorted(m["To"].addresses[0].addr_spec for m in inbox.messages) == ["kari@example.org", "matti@example.org"]
    for message in inbox.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert message["List-Unsubscribe"].startswith("<http://eventapp.test/interest/")
        assert message["List-Unsubscribe"].endswith("/unsubscribe>")
        assert "Kick-off in Oslo" in message["Subject"]
    mails = {m["To"].addresses[0].addr_spec: m for m in inbox.messages}
    assert "Hei, Kari Nordmann!" in mails["kari@example.org"].get_body(("plain",)).get_content()
    assert "Aika:" in mails["matti@example.org"].get_body(("plain",)).get_content()  # Finnish for "When"

    # Taking it back to draft and publishing again mails nobody a second time.
    page = client.get(f"/manage/events/{event.id}/edit").get_data(as_text=True)
    client.post(f"/manage/events/{event.id}/unpublish", data={"csrf_token": csrf_token(page)})
    _publish(client, event.id)
    inbox.messages.clear()
    drain(mail_app)
    assert inbox.messages == []

    # Kari's mail provider sends the one-click POST (no cookies, no CSRF token): she is gone, row and all.
    unsubscribe_url = mails["kari@example.org"]["List-Unsubscribe"].strip("<>")
    provider = app.test_client()
    answer = provider.post(unsubscribe_url.replace("http://eventapp.test", ""), data={"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    assert "You get no more mail from this list" in text_of(answer.get_data(as_text=True))
    again = provider.post(unsubscribe_url.replace("http://eventapp.test", ""), data={"List-Unsubscribe": "One-Click"})
    assert again.status_code == 200
    assert text_of(again.get_data(as_text=True)) == text_of(answer.get_data(as_text=True))
    assert "kari@example.org" not in {s.email for s in subscriptions()}

    # The next publication reaches only Matti.
    second = create_event(programme=programme, title="Second dialogue", status=EventStatus.DRAFT)
    _publish(client, second.id)
    inbox.messages.clear()
    drain(mail_app)
    assert [m["To"].addresses[0].addr_spec for m in inbox.messages] == ["matti@example.org"]


def test_asking_again_reveals_nothing_and_sends_no_second_confirmation(
    app, mail_app, smtp_server, client, ask, create_programme, outbox
):
    create_programme(slug="vestland", title="Innovasjon Vestland")
    first = ask("vestland", email="ola@example.org")
    token = link(outbox()[0].body_text, "interest/confirm")
    _confirm(client, token)
    second = ask("vestland", email="ola@example.org", name="Someone Else")
    stranger = ask("vestland", email="new@example.org")

    assert first.status_code == second.status_code == stranger.status_code == 303
    assert first.headers["Location"] == second.headers["Location"] == stranger.headers["Location"]
    kinds = [(m.recipient_email, m.kind) for m in outbox()]
    assert kinds == [("ola@example.org", "interest_confirm"), ("ola@example.org", "interest_already"),
                     ("new@example.org", "interest_confirm")]  # fmt: skip
    already = outbox(kind="interest_already")[0]
    assert already.recipient_name == "Kari Nordmann"  # the form changes nothing of a confirmed subscriber
    sent_page = client.get("/programmes/vestland/interest/sent").get_data(as_text=True)
    assert "ola@example.org" not in sent_page


def test_bots_get_the_same_answer_and_no_mail(app, client, ask, create_programme, outbox, subscriptions):
    create_programme(slug="skane")
    honeypot = ask("skane", website="http://spam.example.org")
    forged = ask("skane", started="forged")
    assert honeypot.status_code == forged.status_code == 303
    assert honeypot.headers["Location"] == forged.headers["Location"]
    assert outbox() == []
    assert subscriptions() == []


def test_too_fast_is_a_bot(app, client, create_programme, outbox):
    create_programme(slug="fast")
    page = client.get("/programmes/fast").get_data(as_text=True)
    data = {"name": "Quick", "email": "quick@example.org", "language": "en", "started": hidden(page, "started")}
    response = client.post("/programmes/fast/interest", data=data)
    assert response.status_code == 303
    assert outbox() == []
