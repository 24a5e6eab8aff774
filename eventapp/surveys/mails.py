"""The survey's mails: the link (when it does not ride in the follow-up mail) and the one reminder."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.mail.messages import render
from eventapp.mail.services import RenderedMail
from eventapp.registrations.models import Registration
from eventapp.surveys.models import Survey
from eventapp.urls import absolute_url


def survey_url(token: str) -> str:
    return absolute_url("surveys.answer", token=token)


def _mail(kind: str, registration: Registration, survey: Survey, *, token: str, reminder: bool) -> RenderedMail:
    event = registration.event
    locale = registration.locale
    text, html = render(
        "survey_invitation",
        locale=locale,
        event=event,
        registration=registration,
        survey=survey,
        reminder=reminder,
        survey_url=survey_url(token),
        manage_url=absolute_url("registrations.manage", token=token),
    )
    with force_locale(locale):
        if reminder:
            subject = _("Reminder: what did you think of %(title)s?", title=event.title)
        else:
            subject = _("What did you think of %(title)s?", title=event.title)
    return RenderedMail(
        kind=kind,
        recipient_email=registration.email,
        recipient_name=registration.name,
        locale=locale,
        subject=subject,
        body_text=text,
        body_html=html,
        about=registration,
    )


def survey_invitation(registration: Registration, survey: Survey, *, token: str) -> RenderedMail:
    """The survey link to a person who came, in their language, saying whether answers are anonymous."""
    return _mail("survey_invitation", registration, survey, token=token, reminder=False)


def survey_reminder(registration: Registration, survey: Survey, *, token: str) -> RenderedMail:
    """The one reminder, three days after the link, to a person who has not answered."""
    return _mail("survey_reminder", registration, survey, token=token, reminder=True)
