"""Demo data for the programme pages beyond demo.py: more contact persons per country, the people who run
each programme, its partners and funders, its goals and target groups, and its texts in other languages.
Every person and organisation is invented ("(demo)"); every address is at example.org."""

from __future__ import annotations

from textwrap import dedent

from eventapp.programmes.enums import PartnerKind, PersonGroup
from eventapp.programmes.models import (
    ContactPerson,
    Programme,
    ProgrammePartner,
    ProgrammePerson,
    ProgrammeTranslation,
)

NATIONAL, NORDIC = "innovasjonsinnkjop-norge", "nordic-buyer-dialogues"  # demo.py's slugs
SKANE, RESEARCH = "innovationsupphandling-skane", "small-green-social"
VESTLAND = "innovasjonsinnkjop-vestland"
LEAD, BOARD, STEERING = PersonGroup.PROJECT_LEAD, PersonGroup.BOARD, PersonGroup.STEERING_GROUP
PARTNER, FUNDER = PartnerKind.PARTNER, PartnerKind.FUNDER


def _md(text: str) -> str:
    return dedent(text).strip() + "\n"


# fmt: off
#: Contact persons per country beyond demo.py's: programme slug → (country, name, role, organisation, email,
#: phone).
CONTACTS: dict[str, tuple[tuple[str, str, str, str, str, str], ...]] = {
    SKANE: (
        ("SE", "Karin Holm", "Nätverkskoordinator", "Region Skåne (demo)", "karin.holm@example.org",
         "+46 40 000 30 01"),
    ),
    RESEARCH: (
        ("NO", "Sindre Aas", "Researcher", "Vestlandsforsking (demo)", "sindre.aas@example.org", ""),
        ("SE", "Elin Berg", "Researcher", "Lunds universitet (demo)", "elin.berg@example.org", ""),
        ("DK", "Jonas Friis", "PhD fellow", "Aalborg Universitet (demo)", "jonas.friis@example.org", ""),
        ("FI", "Ville Korhonen", "Researcher", "Tampereen yliopisto (demo)", "ville.korhonen@example.org", ""),
    ),
    VESTLAND: (
        ("NO", "Solveig Nes", "Regional kontakt", "Vestland fylkeskommune (demo)", "solveig.nes@example.org",
         "+47 55 00 40 01"),
    ),
}

#: programme slug → (group, name, role, organisation)
PEOPLE: dict[str, tuple[tuple[PersonGroup, str, str, str], ...]] = {
    NATIONAL: (
        (LEAD, "Per Hansen", "Programme lead", "Innovasjonsinnkjøp Norge (demo)"),
        (BOARD, "Randi Sæter", "Chair", "KS (demo)"),
        (BOARD, "Tor Ivar Lunde", "Member", "NHO (demo)"),
        (BOARD, "Hilde Myhre", "Member", "DFØ (demo)"),
        (STEERING, "Geir Olsen", "", "Oslo kommune (demo)"),
        (STEERING, "Marit Vik", "", "Trøndelag fylkeskommune (demo)"),
    ),
    NORDIC: (
        (LEAD, "Ingrid Solberg", "Project lead", "Innovasjonsetaten (demo)"),
        (STEERING, "Anders Lindqvist", "Sweden", "Upphandlingsnätverket (demo)"),
        (STEERING, "Mette Kjær", "Denmark", "Indkøbsforum (demo)"),
        (STEERING, "Aino Virtanen", "Finland", "Hankintaverkosto (demo)"),
    ),
    SKANE: (
        (LEAD, "Karin Holm", "Nätverkskoordinator", "Region Skåne (demo)"),
        (BOARD, "Lars Nilsson", "Ordförande", "Malmö stad (demo)"),
        (BOARD, "Eva Persson", "Ledamot", "Helsingborgs stad (demo)"),
    ),
    RESEARCH: (
        (LEAD, "Sindre Aas", "Principal investigator", "Vestlandsforsking (demo)"),
        (STEERING, "Elin Berg", "Work package lead", "Lunds universitet (demo)"),
    ),
    VESTLAND: ((LEAD, "Solveig Nes", "Prosjektleiar", "Vestland fylkeskommune (demo)"),),
}

#: programme slug → (kind, name, url)
PARTNERS: dict[str, tuple[tuple[PartnerKind, str, str], ...]] = {
    NATIONAL: (
        (PARTNER, "KS – Kommunesektorens organisasjon (demo)", "https://ks.example.org/"),
        (PARTNER, "NHO (demo)", "https://nho.example.org/"),
        (PARTNER, "Direktoratet for forvaltning og økonomistyring (demo)", "https://dfo.example.org/"),
        (FUNDER, "Nærings- og fiskeridepartementet (demo)", "https://nfd.example.org/"),
    ),
    NORDIC: (
        (PARTNER, "Innovasjonsetaten (demo)", "https://innovasjonsetaten.example.org/"),
        (PARTNER, "Upphandlingsnätverket (demo)", "https://upphandling.example.org/"),
        (PARTNER, "Indkøbsforum (demo)", ""),
        (PARTNER, "Hankintaverkosto (demo)", ""),
        (FUNDER, "Nordic Innovation Fund (demo)", "https://nordic-fund.example.org/"),
    ),
    SKANE: (
        (PARTNER, "Malmö stad (demo)", ""),
        (PARTNER, "Helsingborgs stad (demo)", ""),
        (FUNDER, "Region Skåne (demo)", "https://region-skane.example.org/"),
    ),
    RESEARCH: (
        (PARTNER, "Lunds universitet (demo)", "https://lu.example.org/"),
        (FUNDER, "Nordic Research Council (demo)", "https://research-council.example.org/"),
    ),
    VESTLAND: ((FUNDER, "Vestland fylkeskommune (demo)", "https://vestland.example.org/"),),
}

#: programme slug → (goals, target groups), Markdown in the programme's own language.
AIMS: dict[str, tuple[str, str]] = {
    NATIONAL: (_md("""
        - Flere offentlige virksomheter gjennomfører innovative anskaffelser
        - Leverandører møter behovene tidligere, gjennom dialog
        - Erfaringer deles på tvers av kommuner, fylker og stat
        """), _md("""
        - innkjøpere og ledere i kommuner, fylkeskommuner og statlige virksomheter
        - leverandører som vil selge nye løsninger til det offentlige
        """)),
    NORDIC: (_md("""
        - Joint market dialogues on shared Nordic needs
        - Buyers who learn from each other's procurements
        """), _md("""
        - public buyers in Norway, Sweden, Denmark and Finland
        - suppliers who can meet a Nordic need
        """)),
    SKANE: (_md("""
        - Fler kommuner i Skåne gör innovationsupphandlingar
        - Kommunerna delar behovsanalyser och erfarenheter
        """), _md("""
        - upphandlare och verksamhetsutvecklare i skånska kommuner
        """)),
    RESEARCH: (_md("""
        - Find out what helps municipalities buy from small, green and social enterprises
        """), _md("""
        - municipalities in the Nordic countries
        - small, green and social enterprises
        """)),
    VESTLAND: (_md("""
        - Fleire kommunar på Vestlandet gjennomfører innovative innkjøp
        """), _md("""
        - innkjøparar og leiarar i kommunane på Vestlandet
        """)),
}

#: programme slug → locale → (title, summary, goals, target groups); "" shows the original.
TRANSLATIONS: dict[str, dict[str, tuple[str, str, str, str]]] = {
    NATIONAL: {
        "sv": ("Innovationsupphandling Norge (demo)",
               "Ett nationellt program som hjälper kommuner, regioner och statliga myndigheter att använda "
               "upphandling för nya och bättre lösningar.",
               "- Fler offentliga organisationer gör innovationsupphandlingar\n- Leverantörer möter behoven tidigare\n",
               "- upphandlare och chefer i kommuner, regioner och myndigheter\n- leverantörer\n"),
        "en": ("Innovation Procurement Norway (demo)",
               "A national programme that helps municipalities, counties and state agencies buy new and better "
               "solutions.", "", ""),
    },
    NORDIC: {
        "nb": ("Nordiske innkjøperdialoger (demo)",
               "Et nordisk samarbeidsprosjekt der offentlige innkjøpere fra Norge, Sverige, Danmark og Finland "
               "forbereder felles dialoger med markedet.",
               "- Felles markedsdialoger om nordiske behov\n- Innkjøpere som lærer av hverandre\n",
               "- offentlige innkjøpere i Norden\n- leverandører som kan møte et nordisk behov\n"),
        "sv": ("Nordiska inköparDialoger (demo)",
               "Ett nordiskt samarbetsprojekt där offentliga upphandlare från Norge, Sverige, Danmark och Finland "
               "förbereder gemensamma dialoger med marknaden.",
               "- Gemensamma marknadsdialoger om nordiska behov\n- Upphandlare som lär av varandra\n",
               "- offentliga upphandlare i Norden\n- leverantörer som kan möta ett nordiskt behov\n"),
        "da": ("Nordiske indkøberdialoger (demo)", "", "", ""),
        "fi": ("Pohjoismaiset hankintadialogit (demo)", "", "", ""),
    },
    SKANE: {
        "nb": ("Nettverket for innovative anskaffelser i Skåne (demo)",
               "Et regionalt nettverk der kommuner i Skåne lærer av hverandre og gjør innovative anskaffelser "
               "sammen.", "", ""),
    },
    RESEARCH: {
        "nb": ("Små, grønne og sosiale innkjøp (demo)",
               "Et forskningsprosjekt som rekrutterer kommuner til å prøve å kjøpe fra små, grønne og sosiale "
               "virksomheter.", "", ""),
        "sv": ("Små, gröna och sociala inköp (demo)",
               "Ett forskningsprojekt som rekryterar kommuner som vill köpa från små, gröna och sociala företag.",
               "", ""),
    },
    VESTLAND: {
        "nb": ("Innovasjonsinnkjøp Vestland (demo)", "Den regionale delen av Innovasjonsinnkjøp Norge for kommunene "
               "på Vestlandet.", "", ""),
        "sv": ("Innovationsupphandling Vestland (demo)", "Den regionala delen av Innovationsupphandling Norge för "
               "kommunerna på Vestlandet.", "", ""),
    },
}
# fmt: on


def apply(programme: Programme) -> None:
    """Give a new demo programme (by its slug) its further contacts, people, partners, goals, target groups
    and translations. Adds rows to the session through the programme's relationships; no flush."""
    slug = programme.slug
    programme.contacts += [
        ContactPerson(country=c, name=n, role=r, organisation=o, email=e, phone=t, position=len(programme.contacts) + i)
        for i, (c, n, r, o, e, t) in enumerate(CONTACTS.get(slug, ()))
    ]
    programme.people = [
        ProgrammePerson(group=g, name=n, role=r, organisation=o, position=i)
        for i, (g, n, r, o) in enumerate(PEOPLE.get(slug, ()))
    ]
    programme.partners = [
        ProgrammePartner(kind=k, name=n, url=u, position=i) for i, (k, n, u) in enumerate(PARTNERS.get(slug, ()))
    ]
    if slug in AIMS:
        programme.goals_md, programme.target_groups_md = AIMS[slug]
    programme.translations = [
        ProgrammeTranslation(locale=locale, title=t, summary=s, goals_md=g, target_groups_md=tg)
        for locale, (t, s, g, tg) in TRANSLATIONS.get(slug, {}).items()
        if locale != programme.language
    ]
