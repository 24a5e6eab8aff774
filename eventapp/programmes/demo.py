"""Demo programmes: invented national, Nordic, regional, network and research programmes, with contact
persons (example.org addresses). ``eventapp.demo.seed_demo`` adds them with the demo events."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from textwrap import dedent

from sqlalchemy import select

from eventapp.extensions import db
from eventapp.programmes.enums import ProgrammeGroup
from eventapp.programmes.models import ContactPerson, Programme


def md(text: str) -> str:
    """A Markdown text written indented in the code, as stored."""
    return dedent(text).strip() + "\n"


_md = md


@dataclass(frozen=True)
class ProgrammeSpec:
    slug: str
    language: str
    title: str
    summary: str
    description_md: str
    group: ProgrammeGroup = ProgrammeGroup.OTHER
    parent: str = ""  #: the slug of the programme this one is part of


# fmt: off
NATIONAL, NORDIC = "innovasjonsinnkjop-norge", "nordic-buyer-dialogues"
SKANE, RESEARCH = "innovationsupphandling-skane", "small-green-social"
VESTLAND = "innovasjonsinnkjop-vestland"

PROGRAMMES: tuple[ProgrammeSpec, ...] = (
    ProgrammeSpec(NATIONAL, "nb", "Innovasjonsinnkjøp Norge (demo)",
        "Et nasjonalt program som hjelper kommuner, fylker og statlige virksomheter å bruke anskaffelser til å "
        "få fram nye og bedre løsninger.", _md("""
        Innovasjonsinnkjøp Norge er et **oppdiktet** program for leverandørutvikling. Vi hjelper offentlige
        innkjøpere å gjennomføre innovative anskaffelser, og leverandører å møte det offentliges behov.

        - webinarer og erfaringsdeling mellom kommuner, fylkeskommuner og statlige virksomheter
        - veiledning i markedsdialog, innovasjonspartnerskap og konkurranse med forhandling
        - leverandørkonferanser der innkjøpere, leverandører, FoU og brukere møtes

        Arrangementene er gratis for offentlige virksomheter. Opptak og presentasjoner legges ut etterpå.
        """), ProgrammeGroup.NATIONAL),
    ProgrammeSpec(NORDIC, "en", "Nordic Buyer Dialogues (demo)",
        "A Nordic co-operation project in which public buyers from Norway, Sweden, Denmark and Finland prepare "
        "joint dialogues with the market.", _md("""
        An invented co-operation project. Each dialogue gathers 6–12 public organisations from the Nordic
        countries around one shared need, such as zero-emission deliveries.

        1. A kick-off meeting where the buyers meet and agree on the need.
        2. Joint meetings with the market, online and in person.
        3. Each organisation decides for itself whether and how to buy.

        Each participating country has its own contact person in the project.
        """), ProgrammeGroup.NORDIC),
    ProgrammeSpec(SKANE, "sv", "Nätverket för innovationsupphandling i Skåne (demo)",
        "Ett regionalt nätverk där skånska kommuner lär av varandra och gör innovationsupphandlingar tillsammans.",
        _md("""
        Nätverket samlar kommuner i Skåne som vill använda upphandling för att utveckla nya lösningar. Det är
        påhittat och finns bara i demodata. Som medlem får din kommun:

        - stöd i behovsanalys och dialog med marknaden
        - erfarenhetsutbyte på nätverksträffar fyra gånger per år
        - näringslivsdialoger med inkubatorer, företag och universitet
        """), ProgrammeGroup.NETWORK),
    ProgrammeSpec(RESEARCH, "en", "Buying Small, Green and Social (demo)",
        "A research project that recruits municipalities to try buying from small, green and social enterprises.",
        _md("""
        An invented research project. Participating municipalities send contact details and a letter of
        intent, take part in inspiration workshops online and abroad, and share their experience with the
        research team.
        """), ProgrammeGroup.RESEARCH),
    ProgrammeSpec(VESTLAND, "nn", "Innovasjonsinnkjøp Vestland (demo)",
        "Den regionale delen av Innovasjonsinnkjøp Norge for kommunane på Vestlandet.", _md("""
        Eit **oppdikta** regionalt program under Innovasjonsinnkjøp Norge. Kommunane på Vestlandet møtest for
        å dele erfaringar frå innovative innkjøp og planleggje felles marknadsdialogar.
        """), ProgrammeGroup.REGIONAL, parent=NATIONAL),
)

#: Contact persons per country (invented people, example.org addresses): programme slug → (country, name,
#: role, organisation, email, phone).
CONTACTS: dict[str, tuple[tuple[str, str, str, str, str, str], ...]] = {
    NORDIC: (
        ("NO", "Ingrid Solberg", "National contact, Norway", "Innovasjonsetaten (demo)", "ingrid.solberg@example.org",
         "+47 22 00 10 01"),
        ("SE", "Anders Lindqvist", "National contact, Sweden", "Upphandlingsnätverket (demo)",
         "anders.lindqvist@example.org", "+46 8 000 10 02"),
        ("DK", "Mette Kjær", "National contact, Denmark", "Indkøbsforum (demo)", "mette.kjaer@example.org",
         "+45 33 00 10 03"),
        ("FI", "Aino Virtanen", "National contact, Finland", "Hankintaverkosto (demo)", "aino.virtanen@example.org",
         "+358 9 000 1004"),
    ),
    NATIONAL: (
        ("NO", "Per Hansen", "Programme lead", "Innovasjonsinnkjøp Norge (demo)", "per.hansen@example.org",
         "+47 22 00 20 01"),
    ),
}
# fmt: on


def add_programmes() -> tuple[dict[str, Programme], int]:
    """Add the demo programmes whose slugs are missing (with their contact persons) to the session. Returns
    every demo programme by slug, and how many were there already (left as they were)."""
    found = db.session.scalars(select(Programme).where(Programme.slug.in_([spec.slug for spec in PROGRAMMES])))
    programmes = {programme.slug: programme for programme in found}
    kept = len(programmes)
    for spec in PROGRAMMES:
        if spec.slug not in programmes:
            fields = {name: value for name, value in asdict(spec).items() if name != "parent"}
            programmes[spec.slug] = Programme(**fields)
            programmes[spec.slug].parent = programmes.get(spec.parent)
            db.session.add(programmes[spec.slug])
            programmes[spec.slug].contacts = [
                ContactPerson(country=c, name=n, role=r, organisation=o, email=e, phone=t, position=i)
                for i, (c, n, r, o, e, t) in enumerate(CONTACTS.get(spec.slug, ()))
            ]
    return programmes, kept
