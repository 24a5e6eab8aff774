"""The "new materials" mail: what was published since the last mail, in the reader's language, to attendees
(with their own link) and to the programme's interest-list subscribers (the public part)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.interest.enums import MAIL_NEW_MATERIALS
from eventapp.interest.messages import announce
from eventapp.mail.messages import render
from eventapp.mail.services import RenderedMail
from eventapp.materials.queries import MaterialsSection
from eventapp.programmes.models import Programme
from eventapp.registrations.models import Registration
from eventapp.urls import absolute_url


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


def public_part(news: MaterialsSection) -> MaterialsSection:
    """What of ``news`` everyone may see (an interest-list subscriber is not an attendee), same order."""
    from dataclasses import replace

    from eventapp.materials.queries import AgendaMaterials

    def public(items: list[Any]) -> list[Any]:
        return [shown for shown in items if shown.is_public]

    agenda = [AgendaMaterials(group.item, public(group.materials)) for group in news.agenda]
    return replace(news, recordings=public(news.recordings), agenda=[group for group in agenda if group.materials],
                   boards=public(news.boards), documents=public(news.documents), links=public(news.links))  # fmt: skip


def to_subscribers(event: Event, news: MaterialsSection, *, exclude_emails: Collection[str]) -> int:
    """The same news to the confirmed subscribers of the event's programme (issue #10), but its public
    part only, each in their language, with the interest lists' footer, their own page and one-click
    unsubscribe link (``List-Unsubscribe`` and ``List-Unsubscribe-Post``), as the lists' other mails are
    written (``interest.messages.announce``: one render per language, bulk inserts). Nobody whose address
    is in ``exclude_emails`` (the attendees, who hear of it by their own mail). Flush only; how many mails."""
    if event.programme_id is None or not event.is_public:
        return 0
    shown = public_part(news)
    if not shown:
        return 0
    programme = db.session.get(Programme, event.programme_id)
    if programme is None:
        return 0
    return announce(
        programme,
        kind=MAIL_NEW_MATERIALS,
        template="interest_new_materials",
        subject=lambda locale: _("New materials: %(title)s", title=event.content(locale).title),
        context=lambda locale: {
            "event": event, "content": event.content(locale), "start": event.local_starts_at, "section": shown,
            "link": _links(None), "event_url": absolute_url("events.detail", slug=event.slug) + "#materials",
        },
        event_id=event.id,
        exclude_emails=exclude_emails,
    )  # fmt: skip
