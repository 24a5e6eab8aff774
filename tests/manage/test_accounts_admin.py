"""Administrators manage organiser accounts in the browser: add people (who choose their own password
from a welcome mail), change names and roles, deactivate and reactivate, send a new set-password link."""

from __future__ import annotations

import re
import threading
import time

import pytest

from eventapp.accounts import services
from eventapp.accounts.enums import AuditRole, Role
from eventapp.accounts.models import AuditEntry, User
from eventapp.errors import NotAllowed
from eventapp.extensions import db
from eventapp.mail.models import OutboxMessage
from tests.registrations.conftest import csrf_token, text_of

NEW = {"name": "Kari Nordmann", "email": "kari.nordmann@example.org", "role": "organiser"}


@pytest.fixture
def admin(create_account, client, log_in):
    """A signed-in administrator (``client`` is theirs)."""
    user = create_account("admin@example.org", role=Role.ADMIN)
    log_in(client, "admin@example.org")
    return user


def post(client, url: str, **fields: str):
    """Send a back-office form as the browser would (the session's CSRF token is on every page)."""
    token = csrf_token(client.get("/manage/").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **fields})


def mails(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))
        db.session.expunge_all()
        return rows


def account(app, email: str) -> User:
    with app.app_context():
        user = db.session.scalars(db.select(User).where(User.email == email)).one()
        db.session.expunge(user)
        return user


def set_password_from(mail: OutboxMessage, client, password: str):
    link = re.search(r"http://eventapp\.test(/password-reset/\S+)", mail.body_text).group(1)
    token = csrf_token(client.get(link).get_data(as_text=True))
    return client.post(link, data={"csrf_token": token, "password": password, "confirm": password})


def test_admin_adds_an_organiser_who_chooses_a_password_from_the_welcome_mail_and_signs_in(app, client, admin, log_in):
    created = post(client, "/manage/accounts/new", **NEW)
    page = text_of(client.get(created.headers["Location"]).get_data(as_text=True))
    [mail] = mails(app)
    newcomer = app.test_client()
    before = log_in(newcomer, "kari.nordmann@example.org", "a password of her own")
    chosen = set_password_from(mail, newcomer, "a password of her own")
    signed_in = log_in(newcomer, "kari.nordmann@example.org", "a password of her own")

    assert created.status_code == 303
    assert "A welcome mail with a link to choose a password is on its way to kari.nordmann@example.org." in page
    assert mail.recipient_email == "kari.nordmann@example.org"
    assert mail.kind == "account_welcome"
    assert mail.subject == "Welcome to eventapp: choose your password"
    assert "Admin has made you an organiser account on eventapp" in mail.body_text
    assert before.status_code == 400  # no password until she chooses one
    assert chosen.status_code == 303
    assert signed_in.status_code == 303
    assert newcomer.get("/manage/").status_code == 200
    assert "Organiser accounts" not in text_of(newcomer.get("/manage/").get_data(as_text=True))  # not an admin
    assert account(app, "kari.nordmann@example.org").role is Role.ORGANISER
    listing = text_of(client.get("/manage/accounts").get_data(as_text=True))
    assert "Kari Nordmann kari.nordmann@example.org Organiser Active" in listing
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "account.created")).one()
        assert entry.actor_id == admin.id


def test_an_administrator_account_is_created_and_logged_with_its_role(app, client, admin):
    """The new account's role is a detail of the log entry; the entry's own role is the organiser who acted
    (found by the type checker: the detail was passed as ``role=`` and taken for the actor's role)."""
    response = post(client, "/manage/accounts/new", **{**NEW, "role": "admin"})

    assert response.status_code == 303
    assert account(app, "kari.nordmann@example.org").role is Role.ADMIN
    with app.app_context():
        entry = db.session.scalars(db.select(AuditEntry).where(AuditEntry.action == "account.created")).one()
        assert (entry.actor_id, entry.actor_role, entry.details["account_role"]) == (
            admin.id,
            AuditRole.ORGANISER,
            {"enum": "Role", "value": "admin"},  # audit.value(Role.ADMIN): read back in the reader's language
        )


def test_a_taken_address_is_refused_next_to_the_field_with_the_input_kept(app, client, admin, create_account):
    create_account("kari.nordmann@example.org")

    response = post(client, "/manage/accounts/new", **{**NEW, "email": " KARI.Nordmann@example.org "})
    html = response.get_data(as_text=True)

    assert response.status_code == 400
    assert "Email: There is already an account for kari.nordmann@example.org." in text_of(html)  # the summary
    assert 'id="email-error"' in html
    assert 'value="Kari Nordmann"' in html
    assert mails(app) == []


def test_a_form_without_name_or_role_is_refused(client, admin):
    response = post(client, "/manage/accounts/new", email="per@example.org")

    assert response.status_code == 400
    assert "Give the person's name." in text_of(response.get_data(as_text=True))
    assert "Choose a role." in text_of(response.get_data(as_text=True))


def test_organisers_get_403_on_every_accounts_page(app, client, create_account, log_in):
    create_account("organiser@example.org")
    other = create_account("other@example.org")
    log_in(client, "organiser@example.org")
    token = csrf_token(client.get("/manage/").get_data(as_text=True))

    answers = [
        client.get("/manage/accounts").status_code,
        client.get("/manage/accounts/new").status_code,
        client.post("/manage/accounts/new", data={"csrf_token": token, **NEW}).status_code,
        client.get(f"/manage/accounts/{other.id}").status_code,
        client.post(
            f"/manage/accounts/{other.id}", data={"csrf_token": token, "name": "X", "role": "admin"}
        ).status_code,
        client.post(f"/manage/accounts/{other.id}/deactivate", data={"csrf_token": token}).status_code,
        client.post(f"/manage/accounts/{other.id}/send-link", data={"csrf_token": token}).status_code,
    ]

    assert answers == [403] * 7
    assert "Organiser accounts" not in text_of(client.get("/manage/").get_data(as_text=True))
    assert account(app, "other@example.org").name == "Other"
    assert mails(app) == []


def test_admin_changes_a_name_and_makes_someone_an_administrator(app, client, admin, create_account):
    kari = create_account("kari@example.org")

    response = post(client, f"/manage/accounts/{kari.id}", name="Kari Holm", role="admin")

    assert response.status_code == 303
    assert "Saved." in text_of(client.get(response.headers["Location"]).get_data(as_text=True))
    changed = account(app, "kari@example.org")
    assert (changed.name, changed.role) == ("Kari Holm", Role.ADMIN)


def test_the_last_active_administrator_can_neither_be_demoted_nor_deactivated(app, client, admin):
    demote = post(client, f"/manage/accounts/{admin.id}", name="Admin", role="organiser")
    deactivate = post(client, f"/manage/accounts/{admin.id}/deactivate")

    assert demote.status_code == 400
    assert "Admin is the last active administrator. Make someone else an administrator first." in text_of(
        demote.get_data(as_text=True)
    )
    assert '<input checked id="role-0" name="role" required type="radio" value="organiser">' in demote.get_data(
        as_text=True
    )  # the input is kept
    assert deactivate.status_code == 400
    assert "Admin is the last active administrator." in text_of(deactivate.get_data(as_text=True))
    still = account(app, "admin@example.org")
    assert (still.role, still.active) == (Role.ADMIN, True)


def test_an_administrator_cannot_demote_or_deactivate_themself_but_can_demote_another(
    app, client, admin, create_account
):
    colleague = create_account("colleague@example.org", role=Role.ADMIN)

    own_role = post(client, f"/manage/accounts/{admin.id}", name="Admin", role="organiser")
    own_account = post(client, f"/manage/accounts/{admin.id}/deactivate")
    other = post(client, f"/manage/accounts/{colleague.id}", name="Colleague", role="organiser")

    assert own_role.status_code == 400
    assert "You cannot take away your own administrator role." in text_of(own_role.get_data(as_text=True))
    assert own_account.status_code == 400
    assert "You cannot deactivate your own account." in text_of(own_account.get_data(as_text=True))
    assert other.status_code == 303
    assert account(app, "admin@example.org").role is Role.ADMIN
    assert account(app, "colleague@example.org").role is Role.ORGANISER


def test_an_administrator_demoted_a_moment_ago_can_no_longer_change_accounts(app, admin, create_account):
    colleague = create_account("colleague@example.org", role=Role.ADMIN)
    with app.app_context():
        acting = db.session.get(User, colleague.id)
        services.update_account(
            colleague.id, name="Colleague", role=Role.ORGANISER, actor=db.session.get(User, admin.id)
        )
        # ``acting`` was loaded while still an administrator (two requests at the same moment)
        with pytest.raises(NotAllowed):
            services.update_account(admin.id, name="Admin", role=Role.ORGANISER, actor=acting)
        db.session.rollback()
    assert account(app, "admin@example.org").role is Role.ADMIN


@pytest.mark.postgres_only
def test_while_one_administrator_is_being_demoted_their_own_demotion_of_the_other_waits_and_is_refused(
    app, create_account
):
    first = create_account("first@example.org", role=Role.ADMIN)
    second = create_account("second@example.org", role=Role.ADMIN)
    in_flight, finish = threading.Event(), threading.Event()
    outcome: list[str] = []

    def demote_second() -> None:  # a transaction that has demoted ``second`` but not yet committed
        with app.app_context():
            db.session.execute(db.update(User).where(User.id == second.id).values(role=Role.ORGANISER))
            in_flight.set()
            finish.wait(10)
            db.session.commit()
            db.session.remove()

    def second_demotes_first() -> None:
        in_flight.wait(10)
        with app.app_context():
            actor = db.session.get(User, second.id)  # still an administrator, as far as it can see
            try:
                services.update_account(first.id, name="First", role=Role.ORGANISER, actor=actor)
                outcome.append("demoted")
            except NotAllowed:
                outcome.append("refused")
            db.session.remove()

    threads = [threading.Thread(target=demote_second), threading.Thread(target=second_demotes_first)]
    for thread in threads:
        thread.start()
    in_flight.wait(10)
    time.sleep(0.5)  # the second transaction reaches the lock on the administrators' rows and waits
    finish.set()
    for thread in threads:
        thread.join(timeout=30)

    assert outcome == ["refused"]
    assert account(app, "first@example.org").role is Role.ADMIN


def test_a_deactivated_organiser_is_signed_out_at_the_next_request_and_cannot_sign_in(
    app, client, admin, create_account, log_in
):
    kari = create_account("kari@example.org")
    kari_client = app.test_client()
    log_in(kari_client, "kari@example.org")
    assert kari_client.get("/manage/").status_code == 200

    deactivated = post(client, f"/manage/accounts/{kari.id}/deactivate")
    next_request = kari_client.get("/manage/")
    sign_in = log_in(app.test_client(), "kari@example.org")
    listing = text_of(client.get("/manage/accounts").get_data(as_text=True))
    link = post(client, f"/manage/accounts/{kari.id}/send-link")
    reactivated = post(client, f"/manage/accounts/{kari.id}/reactivate")

    assert deactivated.status_code == 303
    assert "The account is deactivated: it can no longer sign in." in text_of(
        client.get(deactivated.headers["Location"]).get_data(as_text=True)
    )
    assert next_request.status_code == 302
    assert next_request.headers["Location"].startswith("/login")
    assert sign_in.status_code == 400
    assert "Kari kari@example.org Organiser Deactivated" in listing
    assert link.status_code == 409  # no set-password link for a deactivated account
    assert mails(app) == []
    assert reactivated.status_code == 303
    assert log_in(app.test_client(), "kari@example.org").status_code == 303


def test_admin_sends_a_new_set_password_link_and_the_old_password_works_until_it_is_used(
    app, client, admin, create_account, log_in
):
    kari = create_account("kari@example.org")
    log_in(app.test_client(), "kari@example.org")  # she has signed in before

    sent = post(client, f"/manage/accounts/{kari.id}/send-link")
    [mail] = mails(app)
    old_password_still = log_in(app.test_client(), "kari@example.org")
    chosen = set_password_from(mail, app.test_client(), "her brand new password")

    assert sent.status_code == 303
    assert "A new link to choose a password is on its way to kari@example.org." in text_of(
        client.get(sent.headers["Location"]).get_data(as_text=True)
    )
    assert mail.subject == "Choose a password for eventapp"
    assert "Admin has sent you a link to choose a password for your organiser account" in mail.body_text
    assert old_password_still.status_code == 303
    assert chosen.status_code == 303
    assert log_in(app.test_client(), "kari@example.org").status_code == 400
    assert log_in(app.test_client(), "kari@example.org", "her brand new password").status_code == 303


def test_account_list_searches_by_name_or_address(client, admin, create_account):
    create_account("kari@example.org")
    create_account("per.hansen@example.org")

    found = text_of(client.get("/manage/accounts?q=HANSEN").get_data(as_text=True))
    too_long = client.get("/manage/accounts?q=" + "x" * 101)

    assert "1 account" in found
    assert "per.hansen@example.org" in found
    assert "kari@example.org" not in found
    assert too_long.status_code == 400


def test_account_list_query_count_is_fixed(client, admin, create_account, count_queries):
    with count_queries() as one:
        client.get("/manage/accounts")
    create_account("kari@example.org")
    create_account("per@example.org")
    with count_queries() as three:
        html = client.get("/manage/accounts").get_data(as_text=True)

    assert "3 accounts" in text_of(html)
    assert three.count == one.count
