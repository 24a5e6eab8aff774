"""The mails of the calls domain, to an application's contact person, in their language: the
confirmation with the personal link, and each organiser's decision with its message."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.calls.models import Application
from eventapp.formatting import clock, long_date, zone_name
from eventapp.mail.messages import compose, render
from eventapp.mail.services import RenderedMail
from eventapp.urls import absolute_url


def _subject(reason: str, title: str) -> str:
    if reason == "received":
        return _("Your application to “%(call)s” is received", call=title)
    if reason == "accepted":
        return _("Your application to “%(call)s” is accepted", call=title)
    if reason == "declined":
        return _("Your application to “%(call)s” is not accepted", call=title)
    return _("Your application to “%(call)s” is on hold", call=title)


def application_mail(application: Application, reason: str, *, token: str, note: str = "") -> RenderedMail:
    """``reason``: received, accepted, declined or on_hold. Every mail carries a fresh personal link."""
    call = application.call
    locale = application.locale
    call_title, _lang = call.title_in(locale)  # the applicant's language where the call is translated into it
    with force_locale(locale):
        deadline = call.local_closes_at
        deadline_text = _("%(date)s at %(time)s %(zone)s", date=long_date(deadline), time=clock(deadline),
                          zone=zone_name(deadline))  # fmt: skip
        subject = _subject(reason, call_title)
    from eventapp.calls.restricted import restricted_events

    events = (
        [(e.content(locale).title, absolute_url("registrations.register", slug=e.slug, **{"pass": token}))
         for e in restricted_events(call.id)]
        if reason == "accepted"
        else []
    )  # fmt: skip
    text, html = render(
        "call_application",
        locale=locale,
        application=application,
        call=call,
        call_title=call_title,
        reason=reason,
        note=note,
        deadline=deadline_text,
        events=events,
        own_url=absolute_url("calls.own", token=token),
        call_url=absolute_url("calls.detail", slug=call.programme.slug, call_id=call.id),
    )
    return compose(f"call_{reason}", application, locale=locale, subject=subject, text=text, html=html)
