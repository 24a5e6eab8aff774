"""Registration settings and sign-ups for the demo events (fictional people, example.org addresses)."""

from __future__ import annotations

from datetime import datetime, timedelta

from eventapp.events.models import Event, EventTranslation
from eventapp.registrations import wording
from eventapp.registrations.enums import AttendanceMode, OrganisationType, QuestionKind, RegistrationStatus
from eventapp.registrations.models import (
    CustomQuestion,
    ParticipationRequirement,
    Registration,
    RegistrationAnswer,
    RequirementConfirmation,
)
from eventapp.registrations.orgnumbers import organisation_key

DIALOGUE_CHECKLIST = (
    "Deltakelsen er forankret i ledelsen",
    "Vi har et reelt behov for å kjøpe utslippsfrie leveranser",
    "Vi stiller med et tverrfaglig team (innkjøp, fag og miljø)",
    "Teamet har satt av tid fram til juni",
    "Én navngitt person er ansvarlig for deltakelsen",
    "Vi dekker egne reisekostnader",
)

#: slug → (event settings, requirements, questions as (label, kind, required, choices))
SETTINGS: dict[str, tuple[dict, tuple[str, ...], tuple[tuple[str, QuestionKind, bool, str], ...]]] = {
    "nordisk-bestillerdialog-utslippsfrie-leveranser": (
        {"requires_approval": True, "quota_per_organisation": 2},
        DIALOGUE_CHECKLIST,
        (("Hvilke leveranser vil dere gjøre utslippsfrie?", QuestionKind.LONG_TEXT, False, ""),),
    ),
    "leverandorkonferansen-helse-og-omsorg": (
        {"quota_per_organisation": 5},
        (),
        (
            ("Blir du med på middagen etter dag 1?", QuestionKind.YES_NO, True, ""),
            ("Allergier eller andre hensyn ved måltidene", QuestionKind.SHORT_TEXT, False, ""),
        ),
    ),
    # the hybrid events: ``capacity`` is their seats on site, these their places online
    "valkomna-nyfikna-kommuner": ({"online_capacity": 100}, (), ()),
    "markkinavuoropuhelu-paastottomat-tyomaat": ({"online_capacity": 60}, (), ()),
    "innovative-anskaffelser-og-fns-baerekraftsmal": (
        {},
        (),
        (
            (
                "Hvilke bærekraftsmål jobber dere mest med?",
                QuestionKind.MULTIPLE_CHOICE,
                False,
                "7 Ren energi\n11 Bærekraftige byer\n12 Ansvarlig forbruk og produksjon\n13 Stoppe klimaendringene",
            ),
        ),
    ),
}

PEOPLE = (
    ("Kari Nordby", "Oslo kommune", OrganisationType.MUNICIPALITY, "NO"),
    ("Jonas Bakke", "Vestland fylkeskommune", OrganisationType.COUNTY, "NO"),
    ("Ingrid Sæther", "Direktoratet for forvaltning og økonomistyring", OrganisationType.STATE, "NO"),
    ("Emil Lundgren", "Malmö stad", OrganisationType.MUNICIPALITY, "SE"),
    ("Sofie Dahl", "Ren Leveranse AS", OrganisationType.COMPANY, "NO"),
    ("Mikko Virtanen", "Tampereen kaupunki", OrganisationType.MUNICIPALITY, "FI"),
    ("Line Kjær", "Aalborg Kommune", OrganisationType.MUNICIPALITY, "DK"),
    ("Per Øverland", "NTNU", OrganisationType.RESEARCH, "NO"),
    ("Astrid Holm", "Trondheim kommune", OrganisationType.MUNICIPALITY, "NO"),
    ("Nils Engström", "Region Skåne", OrganisationType.COUNTY, "SE"),
    ("Hilde Myrvang", "Grønn Logistikk AS", OrganisationType.COMPANY, "NO"),
    ("Aino Korhonen", "Hansel Oy", OrganisationType.STATE, "FI"),
)

#: slug → (confirmed, waitlisted, pending) demo sign-ups
SIGN_UPS = {
    "innovative-anskaffelser-og-fns-baerekraftsmal": (10, 0, 0),
    "nordisk-bestillerdialog-utslippsfrie-leveranser": (3, 0, 4),
    "workshop-series-social-enterprises-1": (12, 0, 0),
    "valkomna-nyfikna-kommuner": (9, 0, 0),  # hybrid: on site and online in turn
    "markkinavuoropuhelu-paastottomat-tyomaat": (8, 0, 0),
    "markedsdialog-i-praksis": (8, 0, 0),  # the past webinar: they came, and answered its survey
}


#: question → the answers demo people give, in turn ("" leaves it unanswered)
ANSWERS = {
    "Hvilke leveranser vil dere gjøre utslippsfrie?": (
        "Anleggsmaskiner og byggeplasser",
        "Hurtigbåter og ferjer",
        "",
        "Varelevering i sentrum\nRenovasjonsbiler",
    ),
    "Blir du med på middagen etter dag 1?": ("yes", "no"),
    "Hvilke bærekraftsmål jobber dere mest med?": (
        "11 Bærekraftige byer\n12 Ansvarlig forbruk og produksjon",
        "7 Ren energi",
    ),
}


#: slug → (a language, the event's requirements and then its questions' labels in it): the Nordic buyer
#: dialogue is written in Norwegian; its Swedish participants read the checklist in Swedish.
WORDING: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "nordisk-bestillerdialog-utslippsfrie-leveranser": (
        "sv",
        (
            "Deltagandet är förankrat i ledningen",
            "Vi har ett verkligt behov av att köpa utsläppsfria leveranser",
            "Vi deltar med ett tvärfackligt team (inköp, verksamhet och miljö)",
            "Teamet har avsatt tid fram till juni",
            "En namngiven person ansvarar för deltagandet",
            "Vi står för våra egna resekostnader",
        ),
        ("Vilka leveranser vill ni göra utsläppsfria?",),
    ),
}


def word_in_other_languages(event: Event) -> None:
    """The event's requirements and questions in another language (``WORDING``), as an organiser writes them
    on its Languages page. Needs the event's rows flushed (their ids)."""
    locale, statements, labels = WORDING.get(event.slug, ("", (), ()))
    if not locale:
        return
    parts = wording.translated_parts(
        event.requirements,
        event.custom_questions,
        {r.id: text for r, text in zip(event.requirements, statements, strict=True)},
        {
            q.id: wording.QuestionTranslationData(label=label)
            for q, label in zip(event.custom_questions, labels, strict=True)
        },
    )
    translation = next((t for t in event.translations if t.locale == locale), None)
    if translation is None:
        translation = EventTranslation(locale=locale)
        event.translations.append(translation)
    translation.parts = parts


def answer_and_confirm(event: Event) -> None:
    """Every demo sign-up confirmed the event's requirements (the form asks each one) and answered its
    questions. Needs the event's rows flushed (the requirements' and questions' ids)."""
    for i, registration in enumerate(event.registrations):
        registration.confirmations = [
            RequirementConfirmation(requirement_id=r.id, confirmed_at=registration.created_at)
            for r in event.requirements
        ]
        given = ((q, ANSWERS.get(q.label, ("",))) for q in event.custom_questions)
        registration.answers = [
            RegistrationAnswer(question_id=q.id, value=answers[i % len(answers)])
            for q, answers in given
            if answers[i % len(answers)]
        ]


_ASCII: dict[str, str | int | None] = {"ø": "o", "æ": "ae", "å": "a", "ä": "a", "ö": "o"}


def _email(name: str) -> str:
    plain = name.lower().translate(str.maketrans(_ASCII))
    return ".".join(plain.split()) + "@example.org"


def apply(event: Event, *, now: datetime) -> None:
    """Give a new demo event its registration settings, questions, requirements and a few sign-ups."""
    settings, requirements, questions = SETTINGS.get(event.slug, ({}, (), ()))
    for name, value in settings.items():
        setattr(event, name, value)
    event.requirements = [ParticipationRequirement(position=i, text=text) for i, text in enumerate(requirements)]
    event.custom_questions = [
        CustomQuestion(position=i, label=label, kind=kind, required=required, choices=choices)
        for i, (label, kind, required, choices) in enumerate(questions)
    ]
    confirmed, waitlisted, pending = SIGN_UPS.get(event.slug, (0, 0, 0))
    statuses = (
        [RegistrationStatus.CONFIRMED] * confirmed
        + [RegistrationStatus.WAITLISTED] * waitlisted
        + [RegistrationStatus.PENDING] * pending
    )
    for i, status in enumerate(statuses):
        name, organisation, kind, country = PEOPLE[i % len(PEOPLE)]
        signed_up = min(now, event.starts_at) - timedelta(days=20 - i)
        event.registrations.append(
            Registration(
                status=status,
                name=name,
                email=_email(name),
                organisation=organisation,
                organisation_type=kind,
                country=country,
                organisation_key=organisation_key(country, None, organisation),
                locale="nb" if country == "NO" else "en",
                privacy_accepted_at=signed_up,
                created_at=signed_up,
                status_changed_at=signed_up,
                attendance=(AttendanceMode.ON_SITE, AttendanceMode.ONLINE)[i % 2] if event.is_hybrid else None,
            )
        )
