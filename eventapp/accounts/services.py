"""Organiser accounts: creating them, signing in, passwords."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import update
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp import addresses
from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import ValidationFailed
from eventapp.extensions import db

MIN_PASSWORD_LENGTH = 10
#: Checked when the address is unknown, so that a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def normalise_email(email: str) -> str:
    """The stored form of an address (eventapp.addresses); ValidationFailed on ``email`` if unusable."""
    try:
        return addresses.normalise_email(email)
    except addresses.InvalidEmailAddress as exc:
        raise ValidationFailed("email", exc.message) from exc


def create_user(*, email: str, password: str, role: Role = Role.ORGANISER, name: str = "") -> User:
    """A new organiser account. One transaction. Raises ValidationFailed for a taken address or a
    password that is too short."""
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("password", f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if db.session.scalars(db.select(User).where(User.email == email)).first() is not None:
        raise ValidationFailed("email", f"There is already an account for {email}.")
    user = User(email=email, name=name.strip(), password_hash=generate_password_hash(password), role=role)
    db.session.add(user)
    db.session.commit()
    return user


#: Wrong passwords in a row after which an account's sign-in pauses: 1 minute, then 2, 4, ... for each
#: further wrong password after a pause, at most LOCKOUT_MAX_MINUTES. On top of the per-address rate limit
#: (RATELIMIT_LOGIN), which one attacker with many addresses gets around; this one holds per account.
LOCKOUT_AFTER = 5
LOCKOUT_MAX_MINUTES = 30


def lockout_minutes(failed_logins: int) -> int:
    """How long sign-in pauses after the ``failed_logins``-th wrong password in a row (0: no pause)."""
    if failed_logins < LOCKOUT_AFTER:
        return 0
    return min(2 ** min(failed_logins - LOCKOUT_AFTER, 10), LOCKOUT_MAX_MINUTES)


def authenticate(email: str, password: str, *, now: datetime | None = None) -> User | None:
    """The active account with this address and password, with its sign-in recorded; else None.

    The caller answers every None alike (unknown address, wrong password, deactivated, paused), so the
    answer does not tell whether an account exists; every path checks one password hash, so neither
    does its time. A wrong password counts against the account (an atomic UPDATE: every app process
    sees the same count); after LOCKOUT_AFTER in a row, sign-in is refused, even with the right
    password, for lockout_minutes(). Success resets the count. One transaction.
    """
    now = now or utcnow()
    user = db.session.scalars(db.select(User).where(User.email == addresses.lookup_form(email))).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if user.login_locked_until is not None and user.login_locked_until > now:
        check_password_hash(_DUMMY_HASH, password)
        db.session.rollback()
        return None
    if not check_password_hash(user.password_hash, password):
        failed = db.session.execute(
            update(User).where(User.id == user.id).values(failed_logins=User.failed_logins + 1)
            .returning(User.failed_logins)
        ).scalar_one()  # fmt: skip
        minutes = lockout_minutes(failed)
        if minutes:
            user.login_locked_until = now + timedelta(minutes=minutes)
        db.session.commit()
        return None
    if not user.active:
        db.session.rollback()
        return None
    user.last_login_at = now
    user.failed_logins = 0
    user.login_locked_until = None
    db.session.commit()
    return user


RESET_MAX_AGE_SECONDS = 3600


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="eventapp.password-reset")


def request_password_reset(email: str, *, locale: str) -> bool:
    """Mail an active account a link to choose a new password (valid an hour, once: it names the
    current password hash, so using it or any other password change voids it). Returns whether an
    account was found; callers answer the same either way. Side effects: one outbox mail."""
    from eventapp.accounts import messages
    from eventapp.mail.services import enqueue
    from eventapp.urls import absolute_url

    user = db.session.scalars(db.select(User).where(User.email == addresses.lookup_form(email))).first()
    if user is None or not user.active:
        return False
    token = _reset_serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})
    enqueue(messages.password_reset(user, absolute_url("accounts.reset_password", token=token), locale=locale))
    db.session.commit()
    return True


def reset_password(token: str, new_password: str) -> User:
    """Set a new password through a reset link. Raises ValidationFailed (field ``password``) for a
    short password and NotFound for an expired, used or forged link."""
    from eventapp.errors import NotFound

    try:
        data = _reset_serializer().loads(token, max_age=RESET_MAX_AGE_SECONDS)
    except (BadSignature, SignatureExpired) as exc:
        raise NotFound() from exc
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.active or user.password_hash[-16:] != data.get("h"):
        raise NotFound()
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed("password", f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    user.password_hash = generate_password_hash(new_password)
    user.failed_logins = 0  # the mailed link proved the person: a sign-in pause ends with it
    user.login_locked_until = None
    db.session.commit()
    return user


def add_manager(event_id: int, email: str, *, actor: User) -> User:
    """Add the organiser with this address to the event's team. Side effects: a row, an audit entry."""
    from eventapp.accounts import audit
    from eventapp.accounts.models import EventManager

    user = db.session.scalars(db.select(User).where(User.email == addresses.lookup_form(email))).first()
    if user is None or not user.active:
        raise ValidationFailed("email", str(_l("There is no organiser account for %(email)s.", email=email.strip())))
    if db.session.get(EventManager, (event_id, user.id)) is not None:
        raise ValidationFailed("email", str(_l("%(name)s is already on the team.", name=user.display_name)))
    db.session.add(EventManager(event_id=event_id, user_id=user.id))
    audit.record("event.manager_added", actor=actor, event_id=event_id, user_id=user.id, name=user.display_name)
    db.session.commit()
    return user


def remove_manager(event_id: int, user_id: int, *, actor: User) -> None:
    from eventapp.accounts import audit
    from eventapp.accounts.models import EventManager

    manager = db.session.get(EventManager, (event_id, user_id))
    if manager is None:
        return
    name = manager.user.display_name
    db.session.delete(manager)
    audit.record("event.manager_removed", actor=actor, event_id=event_id, user_id=user_id, name=name)
    db.session.commit()


# --- organiser accounts, managed by administrators in the back office --------------------------

#: How long the link in a welcome mail works, in hours. It is the password-reset link (see
#: ``reset_password``), whose validity is fixed where the link is read; an administrator can send a
#: new one from the account's page, and the person can ask for one at /password-reset.
WELCOME_LINK_HOURS = RESET_MAX_AGE_SECONDS // 3600


def _require_admin(actor: User) -> None:
    from eventapp.errors import NotAllowed

    if not (actor.is_authenticated and actor.is_active and actor.is_admin):
        raise NotAllowed(str(_l("Only administrators manage organiser accounts.")))


def _mail_set_password_link(user: User, *, actor: User, locale: str) -> None:
    """Add to the outbox a mail with a link that lets ``user`` choose a password: a welcome for an
    account nobody has signed in to yet, else a plain new link. Flush only."""
    from eventapp.accounts import messages
    from eventapp.mail.services import enqueue
    from eventapp.urls import absolute_url

    token = _reset_serializer().dumps({"u": user.id, "h": user.password_hash[-16:]})
    mail = messages.account_welcome(
        user,
        absolute_url("accounts.reset_password", token=token),
        locale=locale,
        sent_by=actor,
        first_time=user.last_login_at is None,
        valid_hours=WELCOME_LINK_HOURS,
    )
    enqueue(mail)


def create_account(*, name: str, email: str, role: Role, actor: User, locale: str) -> User:
    """A new organiser account, made by an administrator. No password is set: the person gets a welcome
    mail with a link to choose one (the password-reset link: using it, or any password change, spends
    it). Raises ValidationFailed (``name``, ``email``) for a missing name or a taken address, NotAllowed
    when ``actor`` is not an administrator. One transaction. Side effects: the user row (with an
    unusable random password), one outbox mail in ``locale``, an audit entry."""
    from sqlalchemy.exc import IntegrityError

    from eventapp.accounts import audit
    from eventapp.security import new_token

    _require_admin(actor)
    email, name = normalise_email(email), name.strip()
    if not name:
        raise ValidationFailed("name", str(_l("Give the person's name.")))
    local, _at, domain = email.partition("@")
    if not local or not domain:
        raise ValidationFailed("email", str(_l("Give a valid email address.")))
    taken = str(_l("There is already an account for %(email)s.", email=email))
    if db.session.scalars(db.select(User.id).where(User.email == email)).first() is not None:
        raise ValidationFailed("email", taken)
    user = User(email=email, name=name, role=role, active=True, password_hash=generate_password_hash(new_token()))
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same address added at the same moment by another administrator
        db.session.rollback()
        raise ValidationFailed("email", taken) from exc
    _mail_set_password_link(user, actor=actor, locale=locale)
    audit.record("account.created", actor=actor, event_id=None, user_id=user.id, email=email,
                 account_role=audit.value(role))  # fmt: skip
    db.session.commit()
    return user


def _account_for_change(user_id: int, *, actor: User, field: str, new_role: Role | None = None,
                        deactivate: bool = False) -> User:  # fmt: skip
    """The account to change, after checking under lock that an active administrator remains.

    Locks the rows of every active administrator, in id order, so that two administrators demoting or
    deactivating each other at the same moment queue instead of both succeeding (SQLite: BEGIN
    IMMEDIATE). Raises NotFound; NotAllowed when ``actor`` is no longer an active administrator;
    ValidationFailed(``field``) when the change would leave no active administrator, or would take an
    administrator's own rights or account away from them."""
    from eventapp.db import begin_write
    from eventapp.errors import NotAllowed, NotFound

    begin_write(db.session)
    admins = db.session.scalars(
        db.select(User)
        .where(User.role == Role.ADMIN, User.active.is_(True))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    if actor.id not in {admin.id for admin in admins}:
        raise NotAllowed(str(_l("Only administrators manage organiser accounts.")))
    user = db.session.get(User, user_id, populate_existing=True)
    if user is None:
        raise NotFound()
    demoted = new_role is not None and new_role is not Role.ADMIN
    if not (user.is_admin and user.active and (deactivate or demoted)):
        return user
    if all(admin.id == user.id for admin in admins):
        message = _l("%(name)s is the last active administrator. Make someone else an administrator first.",
                     name=user.display_name)  # fmt: skip
        raise ValidationFailed(field, str(message))
    if user.id == actor.id:
        if deactivate:
            raise ValidationFailed(field, str(_l("You cannot deactivate your own account.")))
        raise ValidationFailed(field, str(_l("You cannot take away your own administrator role.")))
    return user


def update_account(user_id: int, *, name: str, role: Role, actor: User) -> User:
    """Change an account's name and role (administrators only). An active administrator always
    remains, and administrators cannot demote themselves. One transaction. Side effects: locks the
    active administrators' rows; the user row and an audit entry when something changed."""
    from eventapp.accounts import audit

    name = name.strip()
    if not name:
        raise ValidationFailed("name", str(_l("Give the person's name.")))
    user = _account_for_change(user_id, actor=actor, field="role", new_role=role)
    changed = {
        key: [str(old), str(new)]
        for key, old, new in (("name", user.name, name), ("role", user.role, role))
        if old != new
    }
    if changed:
        user.name, user.role = name, role
        audit.record("account.updated", actor=actor, event_id=None, user_id=user.id, email=user.email,
                     changes=audit.changes(name=(changed.get("name", [name])[0], name),
                                           role=(Role(changed.get("role", [role])[0]), role)))  # fmt: skip
    db.session.commit()
    return user


def set_account_active(user_id: int, *, active: bool, actor: User) -> User:
    """Deactivate an account or reactivate it (administrators only). A deactivated account cannot sign
    in, and its open sessions stop working at their next request (Flask-Login treats an inactive user
    as signed out). Never one's own account, nor the last active administrator. One transaction. Side
    effects: locks the active administrators' rows; the user row and an audit entry."""
    from eventapp.accounts import audit

    user = _account_for_change(user_id, actor=actor, field="active", deactivate=not active)
    if user.active != active:
        user.active = active
        verb = "reactivated" if active else "deactivated"
        audit.record(f"account.{verb}", actor=actor, event_id=None, user_id=user.id, email=user.email)
    db.session.commit()
    return user


def send_set_password_link(user_id: int, *, actor: User, locale: str) -> User:
    """Mail the person a new link to choose a password (administrators only). Their current password
    keeps working until the link is used. Raises NotFound, and NotAllowed for a deactivated account.
    One transaction. Side effects: one outbox mail in ``locale``, an audit entry."""
    from eventapp.accounts import audit
    from eventapp.errors import NotAllowed, NotFound

    _require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound()
    if not user.active:
        raise NotAllowed(str(_l("This account is deactivated. Reactivate it first.")))
    _mail_set_password_link(user, actor=actor, locale=locale)
    audit.record("account.password_link_sent", actor=actor, event_id=None, user_id=user.id, email=user.email)
    db.session.commit()
    return user
