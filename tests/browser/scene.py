"""What the browser tests arrange on the live server's database, through the app's models and services.

Each function runs inside an app context (``stack.run(add_event, ...)``) and returns plain values (ids,
slugs, tokens), never rows, so nothing is read after its session is gone. Names are fictional and
addresses are at example.org.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

from eventapp.accounts.enums import Role
from eventapp.accounts.services import create_user
from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.models import AgendaItem
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType
from eventapp.speakers.models import Speaker

PASSWORD = "correct horse battery staple"


def days_ahead(days: int, hour: int = 9) -> datetime:
    """``days`` from now at ``hour``:00 UTC (negative: in the past)."""
    today = datetime.now(UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return today + timedelta(days=days)


def add_event(slug: str, title: str, *, days: int = 14, agenda: int = 0, **columns: Any) -> int:
    """A published online webinar of two hours, ``days`` ahead, with ``agenda`` talks of one speaker each.
    Returns its id."""
    starts_at = columns.pop("starts_at", days_ahead(days))
    values: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "summary": f"A short summary of {title}.",
        "description_md": "What we will talk about, and **why** it matters to public buyers.",
        "kind": EventKind.WEBINAR,
        "format": EventFormat.ONLINE,
        "online_url": f"https://meet.example.org/{slug}",
        "timezone": "Europe/Oslo",
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=2),
        "language": "en",
        "status": EventStatus.PUBLISHED,
        **columns,
    }
    event = Event(**values)
    db.session.add(event)
    slot = timedelta(hours=2) / max(agenda, 1)
    for i in range(agenda):
        item = AgendaItem(
            event=event,
            position=i,
            starts_at=starts_at + slot * i,
            ends_at=starts_at + slot * (i + 1),
            title=f"Talk {i + 1}: what we learned",
            kind=AgendaItemKind.TALK,
        )
        item.speakers.append(
            Speaker(event=event, name=f"Kari Nordmann {i + 1}", job_title="Adviser", organisation="Eksempel kommune")
        )
        db.session.add(item)
    db.session.commit()
    return event.id


def sign_up(
    event_id: int, email: str, *, name: str = "", organisation: str = "Eksempel kommune", attendance: str = ""
) -> str:
    """A person signs up through the service (as the form would); returns their /r/ token. ``attendance``
    ("on_site" or "online") for a hybrid event."""
    from eventapp.registrations.enums import AttendanceMode

    data = services.RegistrationData(
        name=name or email.split("@")[0].replace(".", " ").title(),
        email=email,
        organisation=organisation,
        organisation_type=OrganisationType.MUNICIPALITY,
        country="NO",
        accept_privacy=True,
        locale="en",
        attendance=AttendanceMode(attendance) if attendance else None,
    )
    return services.register(event_id, data).token


def registration_id(event_id: int, email: str) -> int:
    from eventapp.registrations.models import Registration

    return db.session.scalars(
        db.select(Registration.id).where(Registration.event_id == event_id, Registration.email == email)
    ).one()


def first_registration(event_id: int) -> int:
    from eventapp.registrations.models import Registration

    return db.session.scalars(
        db.select(Registration.id).where(Registration.event_id == event_id).order_by(Registration.id)
    ).first()


def add_failed_mail(event_id: int) -> int:
    """A confirmation to the event's first registration that the receiving server refused for good (what
    the registrations list and the "mail problems" page show). Returns the mail's id."""
    from eventapp.mail.enums import OutboxStatus
    from eventapp.mail.services import RenderedMail, enqueue
    from eventapp.registrations.models import Registration

    registration = db.session.get(Registration, first_registration(event_id))
    row = enqueue(RenderedMail(kind="registration_confirmed", recipient_email=registration.email,
                               recipient_name=registration.name, locale="en", subject="You are registered",
                               body_text="Welcome.", body_html="<p>Welcome.</p>", about=registration))  # fmt: skip
    row.status = OutboxStatus.FAILED
    row.attempts = 1
    row.last_error = "recipient refused: 550 5.1.1 No such user here"
    db.session.commit()
    return row.id


def add_organiser(email: str, *, name: str, role: Role = Role.ORGANISER, owns: tuple[int, ...] = ()) -> int:
    """An organiser account (password ``PASSWORD``) that owns the events ``owns``; returns its id."""
    user = create_user(email=email, password=PASSWORD, name=name, role=role)
    for event_id in owns:
        db.session.get(Event, event_id).created_by_id = user.id
    db.session.commit()
    return user.id


def first_agenda_item(event_id: int) -> int:
    return db.session.scalars(
        db.select(AgendaItem.id).where(AgendaItem.event_id == event_id).order_by(AgendaItem.position)
    ).first()


def event_id(slug: str) -> int:
    return db.session.scalars(db.select(Event.id).where(Event.slug == slug)).one()


def programme_id(slug: str) -> int:
    from eventapp.programmes.models import Programme

    return db.session.scalars(db.select(Programme.id).where(Programme.slug == slug)).one()


def first_contact(programme_id: int) -> int:
    """The first contact person of the programme (the demo gives the Nordic one four)."""
    from eventapp.programmes.models import ContactPerson

    stmt = db.select(ContactPerson.id).where(ContactPerson.programme_id == programme_id).order_by(ContactPerson.id)
    return db.session.scalars(stmt).first()


def first_partner_and_person(programme_id: int) -> tuple[int, int]:
    """The first partner and the first person of the programme (the demo gives the Nordic one several)."""
    from eventapp.programmes.models import ProgrammePartner, ProgrammePerson

    partner = db.select(ProgrammePartner.id).where(ProgrammePartner.programme_id == programme_id)
    person = db.select(ProgrammePerson.id).where(ProgrammePerson.programme_id == programme_id)
    return (
        db.session.scalars(partner.order_by(ProgrammePartner.id)).first(),
        db.session.scalars(person.order_by(ProgrammePerson.id)).first(),
    )


def resave_partner(partner_id: int, *, actor_id: int) -> None:
    """Save the partner again as it is, through the service: a line in the programme's change log."""
    from eventapp.accounts.models import User
    from eventapp.programmes import organisation
    from eventapp.programmes.models import ProgrammePartner

    partner = db.session.get(ProgrammePartner, partner_id)
    data = organisation.PartnerData(kind=partner.kind, name=partner.name, url=partner.url, position=partner.position)
    organisation.update_partner(partner_id, data, actor=db.session.get(User, actor_id))


def first_question_and_requirement(event_id: int) -> tuple[int, int]:
    from eventapp.registrations.models import CustomQuestion, ParticipationRequirement

    question = db.session.scalars(db.select(CustomQuestion.id).where(CustomQuestion.event_id == event_id)).first()
    requirement = db.session.scalars(
        db.select(ParticipationRequirement.id).where(ParticipationRequirement.event_id == event_id)
    ).first()
    return question, requirement


def first_subscriber(programme_id: int) -> int:
    """A confirmed subscriber of the programme's interest list (the demo gives three programmes some; one is
    added when it has none)."""
    from eventapp.interest.enums import SubscriptionStatus
    from eventapp.interest.models import InterestSubscription

    stmt = db.select(InterestSubscription.id).where(InterestSubscription.programme_id == programme_id)
    found = db.session.scalars(stmt.order_by(InterestSubscription.id)).first()
    if found is not None:
        return found
    follower = InterestSubscription(programme_id=programme_id, email="follower@example.org", name="Frida Følger",
                                    locale="nb", status=SubscriptionStatus.CONFIRMED, privacy_version="x")  # fmt: skip
    db.session.add(follower)
    db.session.commit()
    return follower.id


def add_subscriber(programme_id: int, email: str, *, name: str, pending: bool = False) -> int:
    """An address on the programme's interest list (confirmed, or still waiting for confirmation)."""
    from eventapp.interest.enums import SubscriptionStatus
    from eventapp.interest.models import InterestSubscription

    status = SubscriptionStatus.PENDING if pending else SubscriptionStatus.CONFIRMED
    row = InterestSubscription(programme_id=programme_id, email=email, name=name, organisation="Eksempel kommune",
                               locale="nn", status=status, privacy_version="x")  # fmt: skip
    db.session.add(row)
    db.session.commit()
    return row.id


def add_news(programme_id: int, *, author_id: int) -> int:
    """Programme news the organisers sent to the interest list (the row only: what its page shows)."""
    from eventapp.mailings.models import Mailing

    subject, body = "A new round of dialogues", "We open a new round in March."
    news = Mailing(programme_id=programme_id, author_id=author_id, subject=subject, body=body, statuses=[],
                   recipient_count=5, versions={"en": {"subject": subject, "body": body}})  # fmt: skip
    db.session.add(news)
    db.session.commit()
    return news.id


def add_mailing(event_id: int, *, author_id: int) -> int:
    """A message the organisers sent to the confirmed attendees (the row only: what its page shows)."""
    from eventapp.mailings.models import Mailing

    mailing = Mailing(
        event_id=event_id,
        author_id=author_id,
        subject="New room for the kick-off",
        body="We meet in room Nordlys.\n\nWelcome!",
        statuses=["confirmed"],
        recipient_count=3,
    )
    db.session.add(mailing)
    db.session.commit()
    return mailing.id


def add_materials(event_id: int, *, actor_id: int) -> tuple[int, int]:
    """Slides (a small PDF, stored like any upload) and a link to the digital board, through the
    organisers' services. Returns the ids of the link and of the slides' file."""
    from io import BytesIO

    from eventapp.accounts.models import User
    from eventapp.materials.enums import MaterialKind
    from eventapp.materials.models import MaterialFile
    from eventapp.materials.services import MaterialData, create_file_material, create_link_material
    from eventapp.materials.uploads import Upload
    from tests.sample_files import pdf_bytes

    actor = db.session.get(User, actor_id)
    board = create_link_material(
        event_id,
        MaterialData(kind=MaterialKind.BOARD, title="The digital board", url="https://padlet.example.org/kick-off"),
        actor=actor,
    )
    board_id = board.id
    slides = create_file_material(
        event_id, MaterialData(kind=MaterialKind.SLIDES), Upload(BytesIO(pdf_bytes()), "kick-off.pdf"), actor=actor
    )
    file_id = db.session.scalars(db.select(MaterialFile.id).where(MaterialFile.material_id == slides.id)).one()
    return board_id, file_id


def first_speaker(event_id: int) -> int:
    return db.session.scalars(db.select(Speaker.id).where(Speaker.event_id == event_id).order_by(Speaker.id)).first()


def add_talk(
    event_id: int, title: str, *, speaker: str, email: str, job_title: str = "", organisation: str = "",
    minutes: int = 30,
) -> tuple[int, int]:  # fmt: skip
    """A talk of ``minutes`` where the agenda ends (at the start of the event if it has none), by one speaker
    who has an email address (not invited yet). Returns the ids of the agenda item and of the speaker."""
    event = db.session.get(Event, event_id)
    starts_at = max((item.ends_at for item in event.agenda_items), default=event.starts_at)
    item = AgendaItem(
        event=event,
        position=len(event.agenda_items),
        starts_at=starts_at,
        ends_at=starts_at + timedelta(minutes=minutes),
        title=title,
        kind=AgendaItemKind.TALK,
    )
    person = Speaker(event=event, name=speaker, job_title=job_title, organisation=organisation, email=email)
    item.speakers.append(person)
    db.session.add(item)
    db.session.commit()
    return item.id, person.id


def move_to_past(event_id: int, *, days: int = 2) -> None:
    """Move the event and its agenda ``days`` back from now, as if it had taken place (people who signed up
    while it was ahead keep their places)."""
    event = db.session.get(Event, event_id)
    shift = event.starts_at - days_ahead(-days)
    event.starts_at, event.ends_at = event.starts_at - shift, event.ends_at - shift
    for item in event.agenda_items:
        item.starts_at, item.ends_at = item.starts_at - shift, item.ends_at - shift
    db.session.commit()


def agenda_item_times(item_id: int) -> tuple[datetime, datetime]:
    """When the agenda item starts and ends (UTC)."""
    item = db.session.get(AgendaItem, item_id)
    return item.starts_at, item.ends_at


def slide_files(speaker_id: int) -> list[str]:
    """The original names of every version of the speaker's slides, oldest first."""
    from eventapp.materials.models import Material, MaterialFile

    return list(
        db.session.scalars(
            db.select(MaterialFile.original_name)
            .join(Material, MaterialFile.material_id == Material.id)
            .where(Material.speaker_id == speaker_id)
            .order_by(MaterialFile.id)
        )
    )


def outbox_kinds(email: str, *, settle: float = 30) -> list[str]:
    """The kinds of every mail written to ``email``, oldest first, once none of them is waiting to be sent
    any more (the worker has passed them all to the SMTP server, or given up): what the inbox will hold."""
    from eventapp.mail.enums import OutboxStatus
    from eventapp.mail.models import OutboxMessage

    deadline = time.monotonic() + settle
    while True:
        rows = db.session.execute(
            db.select(OutboxMessage.kind, OutboxMessage.status)
            .where(OutboxMessage.recipient_email == email)
            .order_by(OutboxMessage.id)
        ).all()
        waiting = [
            kind for kind, status in rows if status in (OutboxStatus.DRAFT, OutboxStatus.PENDING, OutboxStatus.SENDING)
        ]
        if not waiting or time.monotonic() > deadline:
            assert not waiting, f"mails to {email} still waiting after {settle} s: {waiting}"
            return [kind for kind, _ in rows]
        db.session.rollback()  # a new snapshot for the next look
        time.sleep(0.1)


def add_survey(event_id: int, *, actor_id: int, anonymous: bool = True) -> int:
    """A feedback survey on the event with one question of each kind; returns the 1-5 question's id."""
    from eventapp.accounts.models import User
    from eventapp.surveys import services as surveys
    from eventapp.surveys.enums import SurveyQuestionKind as Kind

    actor = db.session.get(User, actor_id)
    surveys.save_survey(event_id, surveys.SurveyData(anonymous=anonymous, intro="Five minutes at most."), actor=actor)
    first = None
    for label, kind, choices in (
        ("How useful was the event?", Kind.SCALE, ()),
        ("Would you recommend it to a colleague?", Kind.RECOMMEND, ()),
        ("Which part helped most?", Kind.SINGLE_CHOICE, ("The talks", "The board")),
        ("Topics for next time", Kind.MULTIPLE_CHOICE, ("Climate", "Health")),
        ("Will you use what you heard?", Kind.YES_NO, ()),
        ("One word about it", Kind.SHORT_TEXT, ()),
        ("Anything else?", Kind.LONG_TEXT, ()),
    ):
        question = surveys.add_question(
            event_id, surveys.SurveyQuestionData(label, kind, required=kind is Kind.SCALE, choices=choices),
            actor=db.session.get(User, actor_id),
        )  # fmt: skip
        first = first or question.id
    assert first is not None
    return first


def close_survey(event_id: int, *, actor_id: int) -> None:
    """The event's survey closed a day after the event (which ended longer ago than that)."""
    from eventapp.accounts.models import User
    from eventapp.surveys import services as surveys

    closes_at = db.session.get(Event, event_id).ends_at + timedelta(days=1)
    data = surveys.SurveyData(anonymous=True, intro="Five minutes at most.", closes_at=closes_at)
    surveys.save_survey(event_id, data, actor=db.session.get(User, actor_id))


def send_survey_links(*, days_later: float = 1.1) -> tuple[int, int]:
    """Run the worker's survey chore as if ``days_later`` days had passed (links, then reminders)."""
    from eventapp.surveys import chores

    return chores.run(now=datetime.now(UTC) + timedelta(days=days_later))


def demo_call(programme_id: int) -> dict[str, Any]:
    """The demo call of the programme, its first question, its first application with a letter file, and a
    fresh personal link to that application."""
    from eventapp.calls.models import Application, ApplicationToken, Call, CallQuestion
    from eventapp.security import hash_token, new_token

    call_id = db.session.scalars(db.select(Call.id).where(Call.programme_id == programme_id)).first()
    question_id = db.session.scalars(db.select(CallQuestion.id).where(CallQuestion.call_id == call_id)).first()
    application_id = db.session.scalars(
        db.select(Application.id)
        .where(
            Application.call_id == call_id, Application.letter_sha256.is_not(None), Application.status == "submitted"
        )
        .order_by(Application.id)
    ).first()
    token = new_token()
    db.session.add(ApplicationToken(application_id=application_id, token_hash=hash_token(token)))
    db.session.commit()
    return {"call_id": call_id, "call_question_id": question_id, "application_id": application_id,
            "application_token": token}  # fmt: skip
