"""Messages to attendees: choose a group, preview, send through the outbox, follow delivery."""

from __future__ import annotations

import pytest

from eventapp.accounts.models import AuditEntry
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mailings.models import Mailing
from eventapp.registrations import services
from eventapp.registrations.models import Registration
from tests.mail.test_worker import drain
from tests.registrations.conftest import csrf_token, text_of
from tests.registrations.test_rules import data

MESSAGE = {
    "statuses": ["confirmed"],
    "attendance": "any",
    "subject": "Praktisk informasjon før dialogmøtet",
    "body": "Vi møtes i 2. etasje.\n\nPresentasjonene ligger her: https://example.org/presentasjoner.",
}


@pytest.fixture
def scene(app, client, create_event, create_account, log_in):
    """An event with two confirmed people (one reading Swedish, one who came), one waitlisted."""
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    event = create_event(created_by_id=owner.id, capacity=2)
    with app.app_context():
        anna = services.register(event.id, data("anna@example.org", name="Anna Berg", locale="sv")).registration_id
        bo = services.register(event.id, data("bo@example.org", name="Bo Lind")).registration_id
        services.register(event.id, data("cem@example.org", name="Cem Aydin"))
        db.session.get(Registration, bo).checked_in_at = utcnow()
        db.session.commit()
    event.anna, event.bo = anna, bo
    return event


def post(client, url: str, **fields):
    token = csrf_token(client.get(url).get_data(as_text=True))
    return client.post(url, data={**fields, "csrf_token": token})


def outbox(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(OutboxMessage).where(OutboxMessage.kind == "mailing")))
        db.session.expunge_all()
        return rows


def test_the_preview_shows_the_mail_and_who_gets_it_and_sends_nothing(app, client, scene):
    url = f"/manage/events/{scene.id}/messages/new"
    response = post(client, url, **MESSAGE, preview="1")
    assert response.status_code == 200
    page = text_of(response.get_data(as_text=True))
    assert "Preview: this goes to 2 people" in page
    assert "Anna Berg <anna@example.org>" in page
    assert "Bo Lind <bo@example.org>" in page
    assert "Cem Aydin" not in page  # waitlisted: not chosen
    assert "Hej Anna Berg!" in page  # as Anna gets it: in Swedish, her language
    assert "Vi møtes i 2. etasje." in page
    assert "Send to 2 people" in page
    assert 'name="expected" type="hidden" value="2"' in response.get_data(as_text=True)
    assert outbox(app) == []


def test_sending_puts_one_mail_per_person_in_the_outbox_and_delivery_shows_progress(
    mail_app, smtp_server, client, scene
):
    url = f"/manage/events/{scene.id}/messages/new"
    response = post(client, url, **MESSAGE, expected="2", send="1")
    assert response.status_code == 303
    mailing_url = response.headers["Location"].split("?")[0]
    mails = outbox(mail_app)
    assert sorted(m.recipient_email for m in mails) == ["anna@example.org", "bo@example.org"]
    assert {m.subject for m in mails} == {MESSAGE["subject"]}
    page = text_of(client.get(mailing_url + "?sent=1").get_data(as_text=True))
    assert "The message is on its way to 2 people." in page
    assert "Waiting to be sent 2 Sent 0 Failed 0" in page
    assert client.get(mailing_url + "/progress").get_json() == {"queued": 2, "sent": 0, "failed": 0, "done": False}

    drain(mail_app)

    assert client.get(mailing_url + "/progress").get_json() == {"queued": 0, "sent": 2, "failed": 0, "done": True}
    by_address = {m["To"].addresses[0].addr_spec: m for m in smtp_server.inbox.messages}
    anna = by_address["anna@example.org"]
    text = anna.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Hej Anna Berg!")
    assert "Presentasjonene ligger her: https://example.org/presentasjoner." in text
    assert "/r/" in text  # her own registration link
    html = anna.get_body(preferencelist=("html",)).get_content()
    assert '<a href="https://example.org/presentasjoner"' in html  # the address became a link, the dot did not
    listing = text_of(client.get(f"/manage/events/{scene.id}/messages").get_data(as_text=True))
    assert "Praktisk informasjon før dialogmøtet" in listing
    assert "2 sent" in listing
    with mail_app.app_context():
        assert db.session.scalars(db.select(AuditEntry.action)).all()[-1] == "mailing.sent"


def test_those_who_did_not_come_can_be_chosen(app, client, scene):
    fields = {**MESSAGE, "attendance": "did_not_come", "expected": "1", "send": "1"}
    assert post(client, f"/manage/events/{scene.id}/messages/new", **fields).status_code == 303
    assert [m.recipient_email for m in outbox(app)] == ["anna@example.org"]


def test_a_failed_address_is_named_and_can_be_tried_again(mail_app, smtp_server, client, scene):
    smtp_server.inbox.refuse.add("bo@example.org")
    response = post(client, f"/manage/events/{scene.id}/messages/new", **MESSAGE, expected="2", send="1")
    mailing_url = response.headers["Location"].split("?")[0]
    drain(mail_app)
    page = client.get(mailing_url).get_data(as_text=True)
    assert "Could not be delivered" in page
    assert "Bo Lind &lt;bo@example.org&gt;" in page
    assert "550" in page
    assert "1 failed" in text_of(client.get(f"/manage/events/{scene.id}/messages").get_data(as_text=True))

    smtp_server.inbox.refuse.clear()
    retried = client.post(mailing_url + "/retry", data={"csrf_token": csrf_token(page)})
    assert retried.status_code == 303
    assert "1 mail will be tried again." in text_of(client.get(retried.headers["Location"]).get_data(as_text=True))
    drain(mail_app)
    assert client.get(mailing_url + "/progress").get_json()["sent"] == 2
    assert "bo@example.org" in [m["To"].addresses[0].addr_spec for m in smtp_server.inbox.messages]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, "Write a subject line."),
        ({"body": "   "}, "Write the message."),
        ({"statuses": []}, "Choose who gets the message."),
        ({"statuses": ["rejected"]}, "No one registered for this event matches these choices."),
        ({"statuses": ["nonsense"]}, "is not a valid choice for this field."),
        ({"subject": "x" * 201}, "Field cannot be longer than 200 characters."),
    ],
)
def test_bad_input_is_refused_at_the_field_and_kept(app, client, scene, changes, message):
    fields = {**MESSAGE, **changes}
    for action in ({"preview": "1"}, {"send": "1", "expected": "2"}):
        response = post(client, f"/manage/events/{scene.id}/messages/new", **fields, **action)
        assert response.status_code == 400, action
        page = response.get_data(as_text=True)
        assert message in page
        assert "Vi møtes i 2. etasje." in page or changes.get("body")  # what was typed is still there
    assert outbox(app) == []


def test_a_group_that_changed_since_the_preview_is_not_sent(app, client, scene):
    url = f"/manage/events/{scene.id}/messages/new"
    fields = {**MESSAGE, "statuses": ["confirmed", "waitlisted"]}
    preview = post(client, url, **fields, preview="1")
    assert "Send to 3 people" in text_of(preview.get_data(as_text=True))
    with app.app_context():
        services.register(scene.id, data("dina@example.org"))  # someone signs up meanwhile
    response = post(client, url, **fields, expected="3", send="1")
    assert response.status_code == 400
    page = text_of(response.get_data(as_text=True))
    assert "Since your preview the group has changed: it is now 4 people." in page
    assert "Send to 4 people" in page  # the new preview, ready to send
    assert outbox(app) == []


def test_a_second_click_on_send_sends_nothing_more(app, client, scene):
    url = f"/manage/events/{scene.id}/messages/new"
    assert post(client, url, **MESSAGE, expected="2", send="1").status_code == 303
    again = post(client, url, **MESSAGE, expected="2", send="1")
    assert again.status_code == 400
    assert "You sent this same message to the same people a few minutes ago." in again.get_data(as_text=True)
    assert len(outbox(app)) == 2
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Mailing)) == 1


def test_a_mailing_of_another_event_is_not_found(app, client, scene, create_event):
    other = create_event(created_by_id=scene.created_by_id)
    response = post(client, f"/manage/events/{scene.id}/messages/new", **MESSAGE, expected="2", send="1")
    mailing_id = response.headers["Location"].split("/")[-1].split("?")[0]
    assert client.get(f"/manage/events/{other.id}/messages/{mailing_id}").status_code == 404


def test_failed_status_counts_as_failed_and_sending_as_waiting(app, client, scene):
    post(client, f"/manage/events/{scene.id}/messages/new", **MESSAGE, expected="2", send="1")
    with app.app_context():
        first, second = db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)).all()[-2:]
        first.status, second.status = OutboxStatus.FAILED, OutboxStatus.SENDING
        db.session.commit()
        mailing_id = first.mailing_id
    progress = client.get(f"/manage/events/{scene.id}/messages/{mailing_id}/progress").get_json()
    assert progress == {"queued": 1, "sent": 0, "failed": 1, "done": False}


def test_the_messages_list_takes_the_same_queries_for_1_or_5_messages_by_different_authors(
    app, client, scene, create_account, count_queries
):
    """Each message names its author; five colleagues' messages cost no more queries than one."""
    from eventapp.accounts.models import User
    from eventapp.mailings.queries import Audience
    from eventapp.mailings.services import send_mailing
    from eventapp.registrations.enums import RegistrationStatus

    url = f"/manage/events/{scene.id}/messages"
    sizes = []
    for n in range(5):
        author = create_account(f"colleague{n}@example.org")
        with app.app_context():
            send_mailing(scene.id, subject=f"Melding {n}", body="Hei.", actor=db.session.get(User, author.id),
                         audience=Audience(statuses=(RegistrationStatus.CONFIRMED,)))  # fmt: skip
        if n in (0, 4):
            with count_queries() as counter:
                page = text_of(client.get(url).get_data(as_text=True))
            assert f"Melding {n}" in page
            assert f"Colleague{n}" in page  # the author is named
            sizes.append(counter.count)
    assert sizes[0] == sizes[1], sizes
