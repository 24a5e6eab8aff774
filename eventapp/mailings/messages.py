"""An organiser's own message to one person registered for an event."""

from __future__ import annotations

from eventapp.mail.messages import compose, render
from eventapp.mail.services import RenderedMail
from eventapp.registrations.models import Registration
from eventapp.urls import absolute_url


def organiser_message(registration: Registration, *, subject: str, body: str, manage_url: str | None) -> RenderedMail:
    """An organiser's own message (a mailing) to one person registered for an event, in that person's
    language around the organiser's words, with the event's facts and the person's own link."""
    event = registration.event
    text, html = render(
        "mailing",
        locale=registration.locale,
        event=event,
        registration=registration,
        body=body,
        event_url=absolute_url("events.detail", slug=event.slug),
        manage_url=manage_url,
    )
    return compose("mailing", registration, locale=registration.locale, subject=subject, text=text, html=html)
