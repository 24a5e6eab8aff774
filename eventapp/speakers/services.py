"""Speakers of an event: adding them, their personal links to the speaker portal (/speaker/<token>),
reminders to upload their slides, and the profile they keep up to date themselves.

Links follow the rules of attendees' links: only the SHA-256 of a token is stored, every mail that
carries a link mints a new one (earlier ones keep working), and a link stops working when an organiser
revokes it or ``LINK_DAYS_AFTER_EVENT`` days after the event ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.errors import NotFound, ValidationFailed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.i18n import SUPPORTED_LOCALES
from eventapp.mail.services import enqueue
from eventapp.security import hash_token, new_token
from eventapp.speakers import messages, queries
from eventapp.speakers.models import Speaker, SpeakerToken

#: A speaker's link works until this many days after the event ends (slides often come afterwards).
LINK_DAYS_AFTER_EVENT = 60
#: The longest texts a speaker's profile keeps (the model's column lengths; the biography is text, kept short).
NAME_MAX, JOB_TITLE_MAX, ORGANISATION_MAX, BIO_MAX = 200, 200, 200, 2000


@dataclass(frozen=True)
class SpeakerData:
    name: str
    job_title: str = ""
    organisation: str = ""
    email: str = ""
    bio: str = ""


def add_speaker(event_id: int, data: SpeakerData, *, actor: User) -> Speaker:
    speaker = Speaker(
        event_id=event_id,
        name=data.name.strip(),
        job_title=data.job_title.strip(),
        organisation=data.organisation.strip(),
        email=data.email.strip().lower(),
        bio=data.bio.strip(),
    )
    db.session.add(speaker)
    db.session.flush()
    audit.record("speaker.added", actor=actor, event_id=event_id, speaker_id=speaker.id, speaker=speaker.name)
    db.session.commit()
    return speaker


def link_expiry(event: Event) -> datetime:
    """When a speaker link minted for ``event`` stops working."""
    return event.ends_at + timedelta(days=LINK_DAYS_AFTER_EVENT)


def mint_link(speaker: Speaker, *, now: datetime) -> str:
    """A new personal link for ``speaker`` (its hash joins the session); earlier links keep working."""
    token = new_token()
    db.session.add(SpeakerToken(speaker=speaker, token_hash=hash_token(token), created_at=now,
                                expires_at=link_expiry(speaker.event)))  # fmt: skip
    return token


def _speaker_or_404(speaker_id: int) -> Speaker:
    speaker = db.session.get(Speaker, speaker_id, options=[joinedload(Speaker.event)])
    if speaker is None:
        raise NotFound()
    return speaker


def _mail_locale(event: Event) -> str:
    """The language of a speaker's mail: the event's own language (the default when it has no catalogue)."""
    if event.language in SUPPORTED_LOCALES:
        return event.language
    return current_app.config["EVENTAPP_DEFAULT_LOCALE"]


def invite(speaker_id: int, *, actor: User, now: datetime | None = None) -> str:
    """Mail the speaker their personal link to the speaker portal (again, if they were invited before: a
    new link each time; earlier ones keep working until revoked). Returns the new token.

    Side effects: one ``speaker_tokens`` row; ``invited_at`` and ``locale`` (the event's language) set; one
    outbox mail (``speaker_invitation``); an audit entry. ValidationFailed when the speaker has no
    address, or when the event is so long past that a new link would not work.
    """
    now = now or utcnow()
    speaker = _speaker_or_404(speaker_id)
    if not speaker.email:
        raise ValidationFailed("email", str(_l("%(name)s has no email address. Add one to the speaker first, then "
                                               "send the invitation.", name=speaker.name)))  # fmt: skip
    if link_expiry(speaker.event) <= now:
        raise ValidationFailed(None, str(_l("The event ended more than %(days)d days ago, so a speaker link would "
                                            "no longer work.", days=LINK_DAYS_AFTER_EVENT)))  # fmt: skip
    again = speaker.invited_at is not None
    speaker.locale = _mail_locale(speaker.event)
    speaker.invited_at = now
    token = mint_link(speaker, now=now)
    items = [link.agenda_item for link in queries.agenda_links(speaker.id)]
    enqueue(messages.speaker_invitation(speaker, items, token=token, expires_at=link_expiry(speaker.event),
                                        sent_by=actor))  # fmt: skip
    audit.record("speaker.invited", actor=actor, event_id=speaker.event_id, speaker_id=speaker.id,
                 speaker=speaker.name, again=again or None)  # fmt: skip
    db.session.commit()
    return token


def revoke_links(speaker_id: int, *, actor: User, now: datetime | None = None) -> int:
    """Stop every link of the speaker from working (a new invitation makes a fresh one). Returns how many
    links were still working. Side effects: ``revoked_at`` on the tokens; an audit entry."""
    now = now or utcnow()
    speaker = _speaker_or_404(speaker_id)
    revoked = db.session.execute(
        update(SpeakerToken)
        .where(SpeakerToken.speaker_id == speaker.id, SpeakerToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    audit.record("speaker.links_revoked", actor=actor, event_id=speaker.event_id, speaker_id=speaker.id,
                 speaker=speaker.name, count=int(revoked or 0))  # fmt: skip
    db.session.commit()
    return int(revoked or 0)


def remind_missing(event_id: int, *, actor: User, now: datetime | None = None) -> int:
    """Mail every invited speaker with an address who still has agenda items without slides, with a fresh
    link and the items still missing. Returns how many were mailed (a speaker whose slides are all in
    gets nothing). Side effects: a token and an outbox mail (``speaker_reminder``) per speaker mailed; an
    audit entry."""
    now = now or utcnow()
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    rows = [row for row in queries.speaker_rows(event_id) if row.is_due_a_reminder]
    for row in rows:
        token = mint_link(row.speaker, now=now)
        enqueue(messages.speaker_reminder(row.speaker, row.missing_items, token=token, now=now,
                                          expires_at=link_expiry(event)))  # fmt: skip
    if rows:
        audit.record("speaker.reminded", actor=actor, event_id=event_id, count=len(rows),
                     speakers=[row.speaker.name for row in rows])  # fmt: skip
    db.session.commit()
    return len(rows)


def _checked(field: str, value: str, limit: int, *, required_message: str | None = None) -> str:
    value = (value or "").strip()
    if required_message is not None and not value:
        raise ValidationFailed(field, required_message)
    if len(value) > limit:
        raise ValidationFailed(field, str(_l("Please keep this under %(limit)d characters.", limit=limit)))
    return value


def _apply_profile(speaker: Speaker, *, name: str, job_title: str, organisation: str, bio: str,
                   actor: User | None) -> None:  # fmt: skip
    values = {
        "name": _checked("name", name, NAME_MAX, required_message=str(_l("Please enter the name as it should "
                                                                         "appear on the agenda."))),
        "job_title": _checked("job_title", job_title, JOB_TITLE_MAX),
        "organisation": _checked("organisation", organisation, ORGANISATION_MAX),
        "bio": _checked("bio", (bio or "").replace("\r\n", "\n"), BIO_MAX),
    }  # fmt: skip
    changed = [key for key, value in values.items() if getattr(speaker, key) != value]
    before = {key: getattr(speaker, key) for key in changed}  # for the change log
    for key in changed:
        setattr(speaker, key, values[key])
    if changed:
        audit.record("speaker.profile_updated", actor=actor, event_id=speaker.event_id, speaker_id=speaker.id,
                     role=None if actor is not None else audit.AuditRole.SPEAKER, speaker=speaker.name,
                     changes=audit.changes(**{key: (before[key], values[key]) for key in changed}))  # fmt: skip


def update_profile(
    speaker_id: int, *, name: str, job_title: str, organisation: str, bio: str, actor: User | None = None
) -> Speaker:
    """The speaker's name, job title, organisation and short biography as the agenda shows them; changed by
    the speaker through their link (``actor`` None) or by an organiser. ValidationFailed (on the field)
    for a missing name or a text over its length. Side effects: an audit entry when something changed
    (the public pages show the change at once: Speaker is public content)."""
    speaker = _speaker_or_404(speaker_id)
    _apply_profile(speaker, name=name, job_title=job_title, organisation=organisation, bio=bio, actor=actor)
    db.session.commit()
    return speaker


def update_speaker(speaker_id: int, data: SpeakerData, *, actor: User) -> Speaker:
    """An organiser corrects a speaker: the profile as in ``update_profile``, and the address their mail
    goes to. Side effects: audit entries for what changed."""
    speaker = _speaker_or_404(speaker_id)
    email = _checked("email", data.email, 254).lower()
    _apply_profile(speaker, name=data.name, job_title=data.job_title, organisation=data.organisation, bio=data.bio,
                   actor=actor)  # fmt: skip
    if email != speaker.email:
        speaker.email = email
        audit.record("speaker.email_changed", actor=actor, event_id=speaker.event_id, speaker_id=speaker.id,
                     speaker=speaker.name)  # fmt: skip
    db.session.commit()
    return speaker
