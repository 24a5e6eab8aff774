"""After several wrong passwords an account's sign-in pauses, for longer each time, whichever address
the attempts come from; the answer never tells whether the account exists."""

from __future__ import annotations

import threading
from datetime import timedelta
from itertools import count

import pytest
from sqlalchemy import select, update

from eventapp.accounts import services
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.extensions import db
from tests.account_fixtures import PASSWORD
from tests.registrations.conftest import csrf_token, text_of

MESSAGE = (
    "The email address or the password is not right. After several wrong passwords, signing in to an "
    "account pauses for a few minutes."
)
_addresses = count(1)


def attempt(app, email: str, password: str):
    """A sign-in from a new client address each time (the per-address rate limit does not apply)."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"198.51.100.{next(_addresses) % 250 + 1}"
    page = client.get("/login").get_data(as_text=True)
    return client.post("/login", data={"csrf_token": csrf_token(page), "email": email, "password": password})


def account(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalars(select(User).where(User.email == email)).one()
        db.session.expunge(user)
        return user


def unlock_now(app, email: str) -> None:
    with app.app_context():
        db.session.execute(
            update(User).where(User.email == email).values(login_locked_until=utcnow() - timedelta(seconds=1))
        )
        db.session.commit()


def test_five_wrong_passwords_pause_the_account_even_for_the_right_one(app, create_account):
    create_account("kari@example.org")

    wrong = [attempt(app, "kari@example.org", f"guess number {n}") for n in range(5)]
    right_while_paused = attempt(app, "kari@example.org", PASSWORD)
    unknown = attempt(app, "nobody@example.org", PASSWORD)

    assert [r.status_code for r in wrong] == [400] * 5
    assert right_while_paused.status_code == unknown.status_code == 400
    assert MESSAGE in text_of(right_while_paused.get_data(as_text=True))
    assert MESSAGE in text_of(unknown.get_data(as_text=True))  # the same answer: existence is not told
    paused = account(app, "kari@example.org")
    assert paused.failed_logins == 5
    assert timedelta(seconds=50) < paused.login_locked_until - utcnow() <= timedelta(minutes=1)


def test_the_pause_grows_with_each_wrong_password_and_success_resets_it(app, create_account):
    create_account("kari@example.org")
    for n in range(5):
        attempt(app, "kari@example.org", f"guess number {n}")

    pauses = []
    for n in range(3):
        unlock_now(app, "kari@example.org")
        attempt(app, "kari@example.org", f"another guess {n}")
        pauses.append(account(app, "kari@example.org").login_locked_until - utcnow())
    unlock_now(app, "kari@example.org")
    signed_in = attempt(app, "kari@example.org", PASSWORD)

    assert [round(p.total_seconds() / 60) for p in pauses] == [2, 4, 8]
    assert signed_in.status_code == 303
    after = account(app, "kari@example.org")
    assert (after.failed_logins, after.login_locked_until) == (0, None)


def test_the_pause_is_capped():
    assert [services.lockout_minutes(n) for n in (4, 5, 6, 7, 8, 9, 10, 40)] == [0, 1, 2, 4, 8, 16, 30, 30]


@pytest.mark.postgres_only
def test_wrong_passwords_from_twelve_threads_at_once_are_all_counted(app, create_account):
    create_account("kari@example.org")
    start = threading.Barrier(12)
    errors: list[BaseException] = []

    def guess(n: int) -> None:
        try:
            with app.app_context():
                start.wait()
                assert services.authenticate("kari@example.org", f"guess {n}") is None
                db.session.remove()
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert account(app, "kari@example.org").failed_logins == 12  # no lost update between processes
