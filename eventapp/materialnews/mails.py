"""The "new materials" mail: what was published since the last mail, in the reader's language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.events.models import Event
from eventapp.mail.messages import render
from eventapp.mail.services import RenderedMail
from eventapp.materials.queries import MaterialsSection
from eventapp.registrations.models import Registration
from eventapp.urls import absolute_url

if TYPE_CHECKING:
    from eventapp.materialnews.services import InterestRecipient


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


def new_materials_for_subscriber(event: Event, subscriber: InterestRecipient, news: MaterialsSection) -> RenderedMail:
    """The same news to an interest-list subscriber (public materials' links only, their unsubscribe link).
    The List-Unsubscribe headers are the interest lists' to add to the outbox row."""
    public_only = news  # registered-only files link to the public page, which asks for no link
    text, html = render(
        "new_materials",
        locale=subscriber.locale,
        event=event,
        name=subscriber.name,
        section=public_only,
        link=_links(None),
        event_url=absolute_url("events.detail", slug=event.slug) + "#materials",
        manage_url=None,
        stop_url=subscriber.unsubscribe_url,
    )
    return RenderedMail(
        kind="new_materials", recipient_email=subscriber.email, recipient_name=subscriber.name,
        locale=subscriber.locale, subject=_subject(event, subscriber.locale), body_text=text, body_html=html,
    )  # fmt: skip
