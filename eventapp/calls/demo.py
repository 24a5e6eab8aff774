"""Demo calls: an open call on the Nordic buyer dialogue (its checklist, a required letter) and a
membership call of the regional network with a few members, with applications in each state and small
real PDF letters, so a newcomer can review and accept on ``make run``. Fictional organisations and people,
organisation numbers that pass the national checks, example.org addresses."""

from __future__ import annotations

import io
from datetime import datetime, timedelta

from sqlalchemy import select

from eventapp.calls import letters
from eventapp.calls.enums import ApplicationStatus, CallKind, LetterPolicy
from eventapp.calls.models import (
    Application,
    ApplicationConfirmation,
    Call,
    CallQuestion,
    CallRequirement,
    CallTranslation,
)
from eventapp.extensions import db
from eventapp.materials.pdf import tiny_pdf
from eventapp.programmes.models import Programme
from eventapp.registrations.enums import OrganisationType, QuestionKind
from eventapp.registrations.orgnumbers import organisation_key

CHECKLIST = (
    "Our management has anchored the participation",
    "We have a real need to buy a zero-emission delivery solution",
    "We take part with a cross-disciplinary team (procurement, users, environment)",
    "We set aside time and resources for the project until June",
    "One named person is responsible and follows the project until June",
    "We cover our own costs, travel included",
)

# (organisation, country, number, type, contact, role, status, letter as a file)
DIALOGUE = (
    ("Fjordby kommune (demo)", "NO", "974760673", OrganisationType.MUNICIPALITY, "Ingrid Fjeld", "Innkjøpsrådgiver",
     ApplicationStatus.ACCEPTED, True),
    ("Sjöstad kommun (demo)", "SE", "2120000142", OrganisationType.MUNICIPALITY, "Anna Berg", "Upphandlare",
     ApplicationStatus.ACCEPTED, True),
    ("Region Nordvik (demo)", "DK", "29190623", OrganisationType.COUNTY, "Mads Holm", "Indkøbschef",
     ApplicationStatus.SUBMITTED, True),
    ("Järvelän kaupunki (demo)", "FI", "0201256-6", OrganisationType.MUNICIPALITY, "Aino Virtanen", "Ostaja",
     ApplicationStatus.ON_HOLD, False),
    ("Statens innkjøpssenter (demo)", "NO", "986252932", OrganisationType.STATE, "Per Dahl", "Seniorrådgiver",
     ApplicationStatus.DECLINED, True),
    ("Dalby kommune (demo)", "NO", "964338531", OrganisationType.MUNICIPALITY, "Liv Strand", "Miljørådgiver",
     ApplicationStatus.WITHDRAWN, True),
)  # fmt: skip
NETWORK = (
    ("Ekby kommun (demo)", "SE", "2120001124", "Karin Ek", ApplicationStatus.ACCEPTED),
    ("Lundaslätt kommun (demo)", "SE", "2120001223", "Oskar Lind", ApplicationStatus.ACCEPTED),
    ("Hamnstad kommun (demo)", "SE", "2120000803", "Sara Holm", ApplicationStatus.ACCEPTED),
    ("Bokeberg kommun (demo)", "SE", "2120001355", "Nils Ström", ApplicationStatus.SUBMITTED),
)


def _application(call: Call, name: str, country: str, number: str, org_type: OrganisationType, contact: str,
                 role: str, status: ApplicationStatus, now: datetime, stored: list[str], *,
                 with_file: bool) -> Application:  # fmt: skip
    email = contact.lower().replace(" ", ".").encode("ascii", "ignore").decode() + "@example.org"
    application = Application(
        call=call, status=status, organisation=name, organisation_number=number,
        organisation_key=organisation_key(country, number, name), organisation_type=org_type, country=country,
        contact_name=contact, contact_role=role, contact_email=email, locale="en", consent_public=True,
        privacy_accepted_at=now, created_at=now, status_changed_at=now,
    )  # fmt: skip
    if call.letter_policy is not LetterPolicy.NOT_ASKED:
        if with_file:
            pdf = tiny_pdf("Letter of intent", name, f"{contact}, {role}", call.title)
            letter = letters.store_letter(letters.Upload(io.BytesIO(pdf), f"Letter of intent {name}.pdf"))
            stored.append(letter.sha256)
            application.letter_sha256, application.letter_size = letter.sha256, letter.size
            application.letter_file_type, application.letter_name = letter.file_type, letter.name
        else:
            application.letter_statement = f"{name} commits to take part in “{call.title}” until June."
            application.letter_signatory_name, application.letter_signatory_role = "Director (demo)", "Director"
    application.confirmations = [
        ApplicationConfirmation(requirement=requirement, confirmed_at=now) for requirement in call.requirements
    ]
    return application


#: The dialogue call's checklist and question in Norwegian (bokmål): its Languages page filled in.
CHECKLIST_NB = (
    "Ledelsen vår har forankret deltakelsen",
    "Vi har et reelt behov for å kjøpe en utslippsfri leveranseløsning",
    "Vi deltar med et tverrfaglig team (innkjøp, brukere, miljø)",
    "Vi setter av tid og ressurser til prosjektet fram til juni",
    "Én navngitt person er ansvarlig og følger prosjektet fram til juni",
    "Vi dekker egne kostnader, reiser medregnet",
)


def _norwegian(call: Call) -> CallTranslation:
    return CallTranslation(
        locale="nb",
        title="Utslippsfri levering av varer og tjenester: bli med i innkjøperdialogen",
        summary="En gruppe på 6–12 offentlige virksomheter fra de nordiske landene til sammen.",
        parts={
            "requirements": {str(r.id): text for r, text in zip(call.requirements, CHECKLIST_NB, strict=False)},
            "questions": {str(call.questions[0].id): {"label": "Hvor mange leveranser i uka tar virksomheten imot?"}},
        },
    )


def add_demo_calls(programmes: dict[str, Programme], *, nordic: str, network: str, now: datetime) -> list[str]:
    """Add the demo calls to programmes that have none yet (flushes only); the hashes of the letters
    stored, for the caller to forget if its transaction fails."""
    stored: list[str] = []
    with_calls = set(db.session.scalars(select(Call.programme_id)))
    dialogue_programme, network_programme = programmes.get(nordic), programmes.get(network)
    if dialogue_programme is not None and dialogue_programme.id not in with_calls:
        call = Call(
            programme=dialogue_programme, kind=CallKind.PARTICIPATION, language="en", timezone="Europe/Oslo",
            title="Zero-emission delivery of goods and services: join the buyer dialogue",
            summary="A group of 6–12 public organisations in total from the Nordic countries.",
            description_md="We look for public organisations that buy deliveries of goods and services and want "
            "them without emissions. **The project approves the sign-ups.** Send a letter of intent signed by "
            "someone who can commit your organisation.",
            opens_at=now - timedelta(days=10), closes_at=now + timedelta(days=25),
            target_min=6, target_max=12, letter_policy=LetterPolicy.REQUIRED,
        )  # fmt: skip
        call.requirements = [CallRequirement(text=text, position=i) for i, text in enumerate(CHECKLIST)]
        call.questions = [CallQuestion(label="How many deliveries a week does your organisation receive?",
                                       kind=QuestionKind.SHORT_TEXT, position=0)]  # fmt: skip
        db.session.add(call)
        db.session.flush()
        call.translations.append(_norwegian(call))
        for name, country, number, org_type, contact, role, status, with_file in DIALOGUE:
            db.session.add(_application(call, name, country, number, org_type, contact, role, status, now, stored,
                                        with_file=with_file))  # fmt: skip
    if network_programme is not None and network_programme.id not in with_calls:
        call = Call(
            programme=network_programme, kind=CallKind.MEMBERSHIP, language="sv", timezone="Europe/Stockholm",
            title="Ansök om medlemskap i nätverket",
            summary="Kommuner i Skåne som vill arbeta med innovationsupphandling ansöker om medlemskap här.",
            opens_at=now - timedelta(days=60), closes_at=now + timedelta(days=120),
            target_min=0, target_max=33, letter_policy=LetterPolicy.OPTIONAL,
        )  # fmt: skip
        db.session.add(call)
        for name, country, number, contact, status in NETWORK:
            db.session.add(_application(call, name, country, number, OrganisationType.MUNICIPALITY, contact,
                                        "Upphandlingschef", status, now, stored, with_file=True))  # fmt: skip
    db.session.flush()
    return stored
