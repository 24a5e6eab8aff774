"""The mails to speakers: the invitation to the speaker portal, and the reminder to upload slides."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.accounts.models import User
from eventapp.agenda.models import AgendaItem
from eventapp.mail.messages import compose, render
from eventapp.mail.services import RenderedMail
from eventapp.speakers.models import Speaker
from eventapp.urls import absolute_url


def _speaker_mail(
    kind: str,
    template: str,
    speaker: Speaker,
    items: list[AgendaItem],
    *,
    token: str,
    expires_at: datetime,
    subject: str,
    now: datetime | None = None,
    sent_by: User | None = None,
) -> RenderedMail:
    event = speaker.event
    locale = speaker.locale
    text, html = render(
        template,
        locale=locale,
        event=event,
        speaker=speaker,
        items=items,
        portal_url=absolute_url("speakers.portal", token=token),
        event_url=absolute_url("events.detail", slug=event.slug) if event.is_public else "",
        expires=expires_at.astimezone(event.tzinfo),
        max_mb=current_app.config["MAX_UPLOAD_MB"],
        event_is_past=event.is_past(now),
        sent_by=sent_by.display_name if sent_by is not None else "",
    )
    return compose(kind, speaker, locale=locale, subject=subject, text=text, html=html)


def speaker_invitation(
    speaker: Speaker, items: list[AgendaItem], *, token: str, expires_at: datetime, sent_by: User | None = None
) -> RenderedMail:
    """A speaker's personal link to the speaker portal, in their language: the event, the agenda items they
    present (times in the event's zone), what to do there (check their profile, upload slides before
    the event) and how long the link works."""
    with force_locale(speaker.locale):
        subject = _("You are speaking at %(title)s: your speaker page", title=speaker.event.title)
    return _speaker_mail("speaker_invitation", "speaker_invitation", speaker, items, token=token,
                         expires_at=expires_at, subject=subject, sent_by=sent_by)  # fmt: skip


def speaker_reminder(
    speaker: Speaker, missing: list[AgendaItem], *, token: str, expires_at: datetime, now: datetime
) -> RenderedMail:
    """A reminder to a speaker who has not uploaded slides for ``missing`` (their agenda items without
    slides), with a fresh personal link."""
    with force_locale(speaker.locale):
        subject = _("Reminder: your slides for %(title)s", title=speaker.event.title)
    return _speaker_mail("speaker_reminder", "speaker_reminder", speaker, missing, token=token,
                         expires_at=expires_at, subject=subject, now=now)  # fmt: skip
