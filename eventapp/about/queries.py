"""The site's identity as pages and mails show it, read once and kept per process.

Every page's header and footer and every mail's footer name the operator, so reading the settings row
on every request would add a query to every page. Each process keeps what it read (``SiteIdentity``)
and reads again after ``REREAD_SECONDS``, or at once after it saved the settings itself: an
administrator sees their change immediately, other processes within ``REREAD_SECONDS``.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from email.utils import parseaddr

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from eventapp.about.models import SiteSettings
from eventapp.extensions import db

#: How long a process shows the settings it read before reading them again.
REREAD_SECONDS = 30.0

_EXTENSION = "eventapp.site_identity"


@dataclass(frozen=True)
class SiteIdentity:
    #: The operator's name (``EVENTAPP_SITE_NAME`` until an administrator sets one).
    name: str
    #: Where to write with questions ("" when nobody set it and there is no sender address).
    contact_email: str = ""
    contact_phone: str = ""
    postal_address: str = ""
    #: Sanitised HTML from the contact page's Markdown.
    contact_html: str = ""
    #: The logo's SHA-256 ("" without a logo): its URL carries it, so a new logo is a new URL.
    logo_sha256: str = ""
    logo_type: str = ""

    @property
    def has_logo(self) -> bool:
        return bool(self.logo_sha256)


def default_identity(app: Flask) -> SiteIdentity:
    """The identity before an administrator saves any settings: from the configuration."""
    return SiteIdentity(
        name=app.config["EVENTAPP_SITE_NAME"], contact_email=parseaddr(app.config["MAIL_DEFAULT_SENDER"])[1]
    )


class _Memo:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.identity: SiteIdentity | None = None
        self.read_at = 0.0

    def set(self, identity: SiteIdentity | None) -> None:
        with self.lock:
            self.identity, self.read_at = identity, time.monotonic()


def _memo(app: Flask) -> _Memo:
    memo: _Memo | None = app.extensions.get(_EXTENSION)
    if memo is None:
        memo = app.extensions.setdefault(_EXTENSION, _Memo())
    return memo


def _read(app: Flask) -> SiteIdentity:
    columns = [c for c in SiteSettings.__table__.c if c.name != "logo"]
    row = db.session.execute(select(*columns).where(SiteSettings.id == 1)).mappings().first()
    default = default_identity(app)
    if row is None:
        return default
    return SiteIdentity(
        name=row["operator_name"] or default.name,
        contact_email=row["contact_email"] or default.contact_email,
        contact_phone=row["contact_phone"],
        postal_address=row["postal_address"],
        contact_html=row["contact_html"],
        logo_sha256=row["logo_sha256"] if row["logo_type"] else "",
        logo_type=row["logo_type"],
    )


def site_identity(*, may_ask_the_database: bool = True) -> SiteIdentity:
    """The operator as this process knows it (one small query at most every ``REREAD_SECONDS``).

    Error pages pass ``may_ask_the_database=False``: they show what this process already knows (or the
    configuration's identity), so a page about a database that is away never needs the database. A
    database error while reading gives the configuration's identity for this once."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # the proxy's method; Flask types current_app as the app
    memo = _memo(app)
    identity = memo.identity
    if identity is not None and (not may_ask_the_database or time.monotonic() - memo.read_at <= REREAD_SECONDS):
        return identity
    if not may_ask_the_database:
        return default_identity(app)
    try:
        identity = _read(app)
    except SQLAlchemyError:
        with contextlib.suppress(Exception):
            db.session.rollback()
        return default_identity(app)
    memo.set(identity)
    return identity


def forget_site_identity(app: Flask) -> None:
    """Read the settings again on next use (after this process saved them)."""
    _memo(app).set(None)


def assume_no_settings(app: Flask) -> None:
    """Remember the configuration's identity without asking the database: for an empty database (the test
    suite empties every table between tests, and would otherwise carry one test's operator into the next)."""
    _memo(app).set(default_identity(app))


def logo_bytes() -> tuple[bytes, str, str] | None:
    """The stored logo, its media type and its SHA-256, or None."""
    row = db.session.execute(
        select(SiteSettings.logo, SiteSettings.logo_type, SiteSettings.logo_sha256).where(SiteSettings.id == 1)
    ).first()
    if row is None or not row.logo or not row.logo_type:
        return None
    return row.logo, row.logo_type, row.logo_sha256
