"""The follow-up mail after an event: the materials a confirmed attendee may see."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.mail.messages import compose, render
from eventapp.mail.services import RenderedMail
from eventapp.registrations.models import Registration
from eventapp.urls import absolute_url


def materials_followup(registration: Registration, section: object, *, token: str) -> RenderedMail:
    """After the event: the materials a confirmed attendee may see (``section``, a
    ``materials.queries.MaterialsSection`` of public and registered-only materials), in their
    language. Public files link to the public download, registered-only files to a download through the
    person's own link (``token``); recordings, boards and links to their address."""
    event = registration.event
    locale = registration.locale

    def link(shown) -> str:
        if shown.file is None:
            return shown.url
        if shown.is_public:
            return absolute_url("materials.public_file", file_id=shown.file.id, name=shown.file.original_name)
        return absolute_url(
            "materials.attendee_file", token=token, file_id=shown.file.id, name=shown.file.original_name
        )

    text, html = render(
        "materials_followup",
        locale=locale,
        event=event,
        registration=registration,
        section=section,
        link=link,
        event_url=absolute_url("events.detail", slug=event.slug) + "#materials",
        manage_url=absolute_url("registrations.manage", token=token),
    )
    with force_locale(locale):
        subject = _("Materials: %(title)s", title=event.title)
    return compose("materials_followup", registration, locale=locale, subject=subject, text=text, html=html)
