"""The mails to organiser accounts: a link to choose a new password, and the welcome with a first one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.mail.messages import compose, render
from eventapp.mail.services import RenderedMail
from eventapp.urls import absolute_url

if TYPE_CHECKING:
    from eventapp.accounts.models import User


def password_reset(user: User, reset_url: str, *, locale: str) -> RenderedMail:
    """The link an organiser asked for to choose a new password."""
    text, html = render("password_reset", locale=locale, user=user, reset_url=reset_url)
    with force_locale(locale):
        subject = _("Choose a new password for %(site)s", site=current_app.config["EVENTAPP_SITE_NAME"])
    return compose("password_reset", user, locale=locale, subject=subject, text=text, html=html)


def account_welcome(
    user: User, set_password_url: str, *, locale: str, sent_by: User, first_time: bool, valid_hours: int
) -> RenderedMail:
    """An administrator made an account for ``user`` (``first_time``), or sent them a new link: choose a
    password at ``set_password_url`` (valid ``valid_hours``), then sign in."""
    site = current_app.config["EVENTAPP_SITE_NAME"]
    context = {
        "user": user,
        "set_password_url": set_password_url,
        "sign_in_url": absolute_url("accounts.login"),
        "new_link_url": absolute_url("accounts.request_reset"),
        "sent_by": sent_by,
        "first_time": first_time,
        "valid_hours": valid_hours,
        "site": site,
    }
    text, html = render("account_welcome", locale=locale, **context)
    with force_locale(locale):
        subject = (
            _("Welcome to %(site)s: choose your password", site=site)
            if first_time
            else _("Choose a password for %(site)s", site=site)
        )
    return compose("account_welcome", user, locale=locale, subject=subject, text=text, html=html)
