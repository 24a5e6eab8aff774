"""Changing who the site says runs it (administrators only; the view checks the role)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields

from flask import current_app
from flask_babel import lazy_gettext as _l

from eventapp.about.logo import MAX_LOGO_BYTES, NotALogo, checked_logo
from eventapp.about.models import SiteSettings
from eventapp.about.queries import forget_site_identity
from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import ValidationFailed
from eventapp.extensions import db
from eventapp.transactions import use_case


@dataclass(frozen=True)
class SiteSettingsData:
    operator_name: str
    contact_email: str
    contact_phone: str
    postal_address: str
    contact_md: str


@use_case
def update_site_settings(
    data: SiteSettingsData, *, logo: bytes | None = None, remove_logo: bool = False, actor: User
) -> tuple[str, ...]:
    """Save the operator's name, contact details and contact page text; a new ``logo`` (PNG, or SVG that is
    stored only as its sanitiser made it) replaces the old one, ``remove_logo`` drops it. Returns the names
    of what changed. Raises ValidationFailed("logo") for a file that is not a usable logo (nothing is
    saved then). Side effects: the single settings row (created on first save), the content version, an
    audit entry; this process reads the identity again at once (others within REREAD_SECONDS)."""
    stored: tuple[bytes, str] | None = None
    if logo is not None:
        try:
            stored = checked_logo(logo)
        except NotALogo as exc:
            reason = str(exc)
            if reason == "too large":
                message = _l("The logo is larger than %(size)s kB. Use a smaller file.", size=MAX_LOGO_BYTES // 1024)
            else:
                message = _l("The logo must be a PNG or SVG image. This file is neither, or it is damaged.")
            raise ValidationFailed("logo", message) from exc
    settings = db.session.get(SiteSettings, 1)
    if settings is None:
        settings = SiteSettings(id=1)
        db.session.add(settings)
    changed = [f.name for f in fields(SiteSettingsData) if getattr(settings, f.name, None) != getattr(data, f.name)]
    for name in changed:
        setattr(settings, name, getattr(data, name))
    if stored is not None:
        settings.logo, settings.logo_type = stored
        settings.logo_sha256 = hashlib.sha256(stored[0]).hexdigest()
        changed.append("logo")
    elif remove_logo and settings.logo_type:
        settings.logo, settings.logo_type, settings.logo_sha256 = None, "", ""
        changed.append("logo")
    if changed:
        audit.record("site.updated", actor=actor, event_id=None, changed=changed)
    db.session.commit()
    forget_site_identity(current_app._get_current_object())  # type: ignore[attr-defined]  # the proxy's method; Flask types current_app as the app
    return tuple(changed)
