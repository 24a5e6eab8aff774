"""What the ten-speaker browser journey (test_ten_speakers.py) arranges and moves on the live server's
database: run each through ``stack.run`` (an app context); they return plain values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from eventapp.extensions import db

#: (speaker, organisation) of the ten talks, as on the programme's real webinar page.
SPEAKERS = (
    ("Ingrid Berg", "Kommunenes Sentralforbund"), ("Jonas Lie", "Direktoratet for forvaltning og økonomistyring"),
    ("Marte Dahl", "Viken fylkeskommune"), ("Per Holm", "Vestland fylkeskommune"), ("Siri Moe", "Bergen kommune"),
    ("Ola Strand", "Trondheim kommune"), ("Nina Sand", "Stavanger kommune"), ("Erik Vik", "Bodø kommune"),
    ("Hanne Lund", "Tromsø kommune"), ("Knut Aas", "Innovasjon Norge"),
)  # fmt: skip


def speaker_email(index: int) -> str:
    return f"ten.speaker{index + 1}@example.org"


def webinar(slug: str, title: str, *, owner_id: int) -> dict[str, object]:
    """A webinar two days ahead in the first demo programme, whose speakers' slides publish with the
    materials, with ten ten-minute talks of one speaker each; the speakers are invited (mailed their
    links). Returns the event's id and, per talk, (agenda item id, speaker id)."""
    from eventapp.accounts.models import User
    from eventapp.events.enums import SlidesPublish
    from eventapp.events.models import Event
    from eventapp.programmes.models import Programme
    from eventapp.speakers import services as speakers
    from tests.browser.scene import add_event, add_talk

    programme_id = db.session.scalars(db.select(Programme.id).order_by(Programme.id)).first()
    event_id = add_event(slug, title, days=2, programme_id=programme_id, slides_publish=SlidesPublish.WITH_MATERIALS)
    talks = []
    for index, (name, organisation) in enumerate(SPEAKERS):
        talks.append(add_talk(event_id, f"Webinar – {organisation}", speaker=name, email=speaker_email(index),
                              job_title="Rådgiver", organisation=organisation, minutes=10))  # fmt: skip
    event = db.session.get(Event, event_id)
    event.ends_at, event.created_by_id = event.starts_at + timedelta(minutes=100), owner_id
    db.session.commit()
    for _item_id, speaker_id in talks:
        speakers.invite(speaker_id, actor=db.session.get(User, owner_id))
    return {"id": event_id, "programme_id": programme_id, "talks": talks}


def check_in(event_id: int, emails: tuple[str, ...]) -> None:
    """Attendance recorded: these people came (the others did not)."""
    from eventapp.registrations.models import Registration

    db.session.execute(
        db.update(Registration)
        .where(Registration.event_id == event_id, Registration.email.in_(emails))
        .values(checked_in_at=datetime.now(UTC) - timedelta(days=1))
    )
    db.session.commit()


def send_material_news(*, days_later: float) -> int:
    """The worker's "new materials" chore as if ``days_later`` days had passed; how many mails it wrote."""
    from eventapp.materialnews.services import send_new_materials

    return send_new_materials(now=datetime.now(UTC) + timedelta(days=days_later))


def news_kinds(email: str) -> list[str]:
    """The kinds of the "new materials" mails written to ``email`` (attendee's or subscriber's)."""
    from eventapp.mail.models import OutboxMessage

    return list(db.session.scalars(
        db.select(OutboxMessage.kind).where(OutboxMessage.recipient_email == email,
                                            OutboxMessage.kind.in_(("new_materials", "interest_new_materials")))
    ))  # fmt: skip
