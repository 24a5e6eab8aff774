"""The "new materials" mail to an attendee: what was published since the last mail, in their language, with
their own link. (The interest lists write the public part to the programme's subscribers:
``interest.announcements.announce_new_materials``.)"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.events.models import Event
from eventapp.mail.messages import render
from eventapp.mail.services import RenderedMail
from eventapp.materials.queries import MaterialsSection
from eventapp.registrations.models import Registration
from eventapp.urls import absolute_url


def public_link(shown) -> str:
    """The address of a material everyone may see (for mails to people who are not attendees)."""
    return _links(None)(shown)


def _links(token: str | None):
    def link(shown) -> str:
        if shown.file is None:
            return shown.url
        if shown.is_public or token is None:
            return absolute_url("materials.public_file", file_id=shown.file.id, name=shown.file.original_name)
        return absolute_url("materials.attendee_file", token=token, file_id=shown.file.id,
                            name=shown.file.original_name)  # fmt: skip

    return link


def _subject(event: Event, locale: str) -> str:
    with force_locale(locale):
        return _("New materials: %(title)s", title=event.title)


def new_materials(registration: Registration, news: MaterialsSection, *, token: str) -> RenderedMail:
    """To an attendee who got the follow-up mail: the materials published since, with their own link and
    the link that stops these mails."""
    event = registration.event
    text, html = render(
        "new_materials",
        locale=registration.locale,
        event=event,
        name=registration.name,
        section=news,
        link=_links(token),
        event_url=absolute_url("events.detail", slug=event.slug) + "#materials",
        manage_url=absolute_url("registrations.manage", token=token),
        stop_url=absolute_url("materialnews.stop", token=token),
    )
    return RenderedMail(
        kind="new_materials", recipient_email=registration.email, recipient_name=registration.name,
        locale=registration.locale, subject=_subject(event, registration.locale), body_text=text, body_html=html,
        about=registration,
    )  # fmt: skip
