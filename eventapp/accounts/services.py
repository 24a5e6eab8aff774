"""Organiser accounts: creating them, signing in, passwords."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from werkzeug.security import check_password_hash, generate_password_hash

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import ValidationFailed
from eventapp.extensions import db

MIN_PASSWORD_LENGTH = 10
#: Checked when the address is unknown, so that a wrong address takes as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not a password of anyone")


def normalise_email(email: str) -> str:
    return email.strip().lower()


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


def authenticate(email: str, password: str) -> User | None:
    """The active account with this address and password, with its sign-in recorded; else None."""
    user = db.session.scalars(db.select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = utcnow()
    db.session.commit()
    return user


RESET_MAX_AGE_SECONDS = 3600


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="eventapp.password-reset")


def request_password_reset(email: str, *, locale: str) -> bool:
    """Mail an active account a link to choose a new password (valid an hour, once: it names the
    current password hash, so using it or any other password change voids it). Returns whether an
    account was found; callers answer the same either way. Side effects: one outbox mail."""
    from eventapp.mail import messages
    from eventapp.mail.services import enqueue
    from eventapp.urls import absolute_url

    user = db.session.scalars(db.select(User).where(User.email == normalise_email(email))).first()
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
    db.session.commit()
    return user


def add_manager(event_id: int, email: str, *, actor: User) -> User:
    """Add the organiser with this address to the event's team. Side effects: a row, an audit entry."""
    from eventapp.accounts import audit
    from eventapp.accounts.models import EventManager

    user = db.session.scalars(db.select(User).where(User.email == normalise_email(email))).first()
    if user is None or not user.active:
        raise ValidationFailed("email", str(_l("There is no organiser account for %(email)s.", email=email.strip())))
    if db.session.get(EventManager, (event_id, user.id)) is not None:
        raise ValidationFailed("email", str(_l("%(name)s is already on the team.", name=user.display_name)))
    db.session.add(EventManager(event_id=event_id, user_id=user.id))
    audit.record("event.manager_added", actor=actor, event_id=event_id,
                 summary=f"{user.display_name} added to the team by {actor.display_name}")  # fmt: skip
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
    audit.record("event.manager_removed", actor=actor, event_id=event_id,
                 summary=f"{name} removed from the team by {actor.display_name}")  # fmt: skip
    db.session.commit()
