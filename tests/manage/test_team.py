"""The owner adds colleagues to an event's team; they may then manage it."""

from __future__ import annotations

from tests.registrations.conftest import csrf_token, text_of


def test_the_owner_adds_and_removes_a_colleague(app, client, create_account, log_in, create_event):
    owner = create_account("owner@example.org")
    colleague = create_account("kari@example.org")
    event = create_event(created_by_id=owner.id, title="Leverandørdag")
    log_in(client, "owner@example.org")
    url = f"/manage/events/{event.id}/team"

    unknown = client.post(url, data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
                                     "email": "nobody@example.org"})  # fmt: skip
    added = client.post(url, data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
                                   "email": " KARI@example.org "})  # fmt: skip
    twice = client.post(url, data={"csrf_token": csrf_token(client.get(url).get_data(as_text=True)),
                                   "email": "kari@example.org"})  # fmt: skip

    assert unknown.status_code == 400
    assert "There is no organiser account for nobody@example.org." in text_of(unknown.get_data(as_text=True))
    assert added.status_code == 303
    assert twice.status_code == 400
    assert "is already on the team." in text_of(twice.get_data(as_text=True))

    colleague_client = app.test_client()
    log_in(colleague_client, "kari@example.org")
    assert "Leverandørdag" in colleague_client.get("/manage/").get_data(as_text=True)
    assert colleague_client.get(f"/manage/events/{event.id}/registrations").status_code == 200

    token = csrf_token(client.get(url).get_data(as_text=True))
    client.post(f"{url}/{colleague.id}/remove", data={"csrf_token": token})
    assert colleague_client.get(f"/manage/events/{event.id}/registrations").status_code == 403
