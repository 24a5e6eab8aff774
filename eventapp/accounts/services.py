"""Organiser accounts: creating them, signing in, passwords."""

from __future__ import annotations

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
