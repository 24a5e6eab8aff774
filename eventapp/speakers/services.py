"""Adding speakers to an event (the speaker portal and invitations come with the speakers issue)."""

from __future__ import annotations

from dataclasses import dataclass

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.extensions import db
from eventapp.speakers.models import Speaker


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
    audit.record("speaker.added", actor=actor, event_id=event_id, summary=f"Speaker added: {speaker.name}")
    db.session.commit()
    return speaker
