"""Sign-up and "lost your link" answer the same whether or not an address is registered, and nobody
can flood a person's inbox through them."""

from __future__ import annotations

import statistics
import threading
import time

import pytest

from eventapp.extensions import db
from eventapp.registrations import links
from tests.registrations.conftest import csrf_token, text_of


def _lost_link(client, slug: str, email: str):
    page = client.get(f"/events/{slug}/lost-link").get_data(as_text=True)
    return client.post(f"/events/{slug}/lost-link", data={"email": email, "csrf_token": csrf_token(page)})


def test_sign_up_answers_a_registered_and_a_new_address_alike(app, client, sign_up, create_event, outbox):
    event = create_event(title="Markedsdialog")
    sign_up(event.slug, email="known@example.org")
    before = len(outbox())

    known = sign_up(event.slug, email="known@example.org")
    known_page = client.get(known.headers["Location"])
    new = sign_up(event.slug, email="known@example.org".replace("known", "newcomer"))
    new_page = client.get(new.headers["Location"])

    assert known.status_code == new.status_code == 303
    assert known.headers["Location"] == new.headers["Location"] == f"/events/{event.slug}/register/sent"
    assert known_page.status_code == new_page.status_code == 200
    assert text_of(known_page.get_data(as_text=True)).replace("known@", "X@") == text_of(
        new_page.get_data(as_text=True)
    ).replace("newcomer@", "X@")
    assert [(m.kind, m.recipient_email) for m in outbox()[before:]] == [
        ("registration_already_registered", "known@example.org"),
        ("registration_confirmed", "newcomer@example.org"),
    ]


def test_repeated_sign_ups_and_lost_link_requests_mail_an_address_at_most_3_times_an_hour(
    app, client, sign_up, create_event, outbox
):
    app.config["EVENTAPP_LOST_LINK_SECONDS"] = 0
    event = create_event()
    other = create_event()
    sign_up(event.slug, email="target@example.org")
    sign_up(other.slug, email="target@example.org")

    answers = [sign_up(event.slug, email="target@example.org") for _ in range(3)]
    answers += [_lost_link(client, event.slug, "target@example.org") for _ in range(3)]
    answers += [_lost_link(client, other.slug, "target@example.org")]

    assert [a.status_code for a in answers] == [303] * 3 + [200] * 4  # the same answers all along
    link_mails = [m for m in outbox() if m.kind in links.LINK_MAIL_KINDS]
    assert [m.kind for m in link_mails] == ["registration_already_registered"] * 3
    assert "a new link to the registration is on its way" in text_of(answers[-1].get_data(as_text=True))


@pytest.mark.postgres_only
def test_the_cap_of_link_mails_holds_when_ten_requests_come_at_once(app, create_event, sign_up, outbox):
    event = create_event()
    sign_up(event.slug, email="target@example.org")
    start = threading.Barrier(10)
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            with app.app_context():
                start.wait()
                links.send_link_again(event.id, "target@example.org")
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=ask) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len([m for m in outbox() if m.kind == "registration_link"]) == links.LINK_MAILS_PER_HOUR


def test_lost_link_takes_the_same_floor_for_a_registered_and_an_unknown_address(
    app, client, sign_up, create_event, outbox
):
    app.config["EVENTAPP_LOST_LINK_SECONDS"] = 0.3
    event = create_event()
    for n in range(3):
        sign_up(event.slug, email=f"known{n}@example.org")
    timings: dict[str, list[float]] = {"known": [], "unknown": []}

    for n in range(3):
        for case in timings:
            started = time.perf_counter()
            response = _lost_link(client, event.slug, f"{case}{n}@example.org")
            timings[case].append(time.perf_counter() - started)
            assert response.status_code == 200

    # Finding nobody is quicker work than finding and mailing someone; neither answer comes before the floor
    assert min(timings["unknown"]) >= 0.3
    assert min(timings["known"]) >= 0.3
    assert abs(statistics.median(timings["known"]) - statistics.median(timings["unknown"])) < 0.15
    assert len([m for m in outbox() if m.kind == "registration_link"]) == 3
