"""Demo data: invented programmes, events, agendas and speakers, modelled on real Nordic events.

``seed_demo()`` gives a fresh database something true to life to show: a national programme, a Nordic
buyer dialogue, a regional network in Skåne and a research project, with past and upcoming events of
every kind and format, in Norwegian, Swedish, Danish, Finnish and English. Programmes and people are
invented (speakers' employers are real public bodies); every e-mail address is at example.org and every
join link at meet.example.org. Dates are relative to "now", so the demo never goes stale.
"""

from __future__ import annotations

import os
import secrets
import unicodedata
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.models import AgendaItem
from eventapp.calls.demo import add_demo_calls
from eventapp.db import utcnow
from eventapp.events.demo import apply as apply_place_demo
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.interest.demo import demo_subscribers
from eventapp.materials.demo import WEBINAR_SLUG, add_webinar_materials
from eventapp.materials.uploads import forget_unless_used
from eventapp.programmes.demo import (
    NATIONAL,
    NORDIC,
    PROGRAMMES,
    RESEARCH,
    SKANE,
    add_programmes,
    md,
)
from eventapp.programmes.models import Programme
from eventapp.registrations.demo import answer_and_confirm, word_in_other_languages
from eventapp.registrations.demo import apply as apply_registration_demo
from eventapp.speakers.models import Speaker
from eventapp.surveys.demo import add_webinar_survey

# Short names for the data tables below.
# fmt: off
TALK, PANEL, DISCUSSION, BREAK = (AgendaItemKind.TALK, AgendaItemKind.PANEL, AgendaItemKind.DISCUSSION,
                                  AgendaItemKind.BREAK)
WEBINAR, WORKSHOP, DIALOGUE = EventKind.WEBINAR, EventKind.WORKSHOP, EventKind.DIALOGUE_MEETING
NETWORK, CONFERENCE = EventKind.NETWORK_MEETING, EventKind.CONFERENCE
ONLINE, IN_PERSON, HYBRID = EventFormat.ONLINE, EventFormat.IN_PERSON, EventFormat.HYBRID
# fmt: on


@dataclass(frozen=True)
class SeedReport:
    """What ``seed_demo`` did: rows added, and demo rows left as they were because their slug existed."""

    programmes_added: int
    programmes_kept: int
    events_added: int
    events_kept: int


@dataclass(frozen=True)
class SpeakerSpec:
    name: str
    job_title: str
    organisation: str
    bio: str = ""


@dataclass(frozen=True)
class ItemSpec:
    """An agenda slot in local wall time ("HH:MM") on the event's first day plus ``day`` days."""

    start: str
    end: str
    title: str
    kind: AgendaItemKind = TALK
    speakers: tuple[int, ...] = ()  #: indexes into the event's speakers, in the order shown
    day: int = 0


@dataclass(frozen=True)
class EventSpec:
    """An event that starts ``days_from_now`` local days ahead (negative: in the past) at ``start``."""

    slug: str
    title: str
    summary: str
    description_md: str
    kind: EventKind
    format: EventFormat
    language: str
    programme: str | None
    days_from_now: int
    start: str
    end: str
    timezone: str = "Europe/Oslo"
    last_day: int = 0  #: the event ends this many days after its first day
    weekday: int | None = None  #: move forward to this weekday (0 Monday … 4 Friday); else off weekends
    status: EventStatus = EventStatus.PUBLISHED
    capacity: int | None = None
    venue: tuple[str, str, str] = ("", "", "")  #: name, address, city (in-person and hybrid events)
    registration: tuple[int, int] | None = None  #: opens, closes: whole days before the start
    speakers: tuple[SpeakerSpec, ...] = ()
    agenda: tuple[ItemSpec, ...] = ()


_md = md

# fmt: off
# The Friday webinar: ten speakers from ten organisations, one ten-minute talk each.
_SDG_TALKS: tuple[tuple[SpeakerSpec, str], ...] = (
    (SpeakerSpec("Øystein Brekke", "Spesialrådgiver", "KS – Kommunesektorens organisasjon",
                 "Jobber med innovasjon og bærekraft i kommunesektoren."), "Bærekraftsmålene som felles språk"),
    (SpeakerSpec("Kjersti Nygård Løvås", "Seniorrådgiver", "Direktoratet for forvaltning og økonomistyring"),
     "Krav og veiledning for klima og miljø i anskaffelser"),
    (SpeakerSpec("Håkon Sæther", "Innkjøpssjef", "Vestland fylkeskommune"), "Utslippsfrie hurtigbåter"),
    (SpeakerSpec("Ingrid Fjærli", "Rådgiver bærekraft", "Trøndelag fylkeskommune",
                 "Har ledet arbeidet med ombruk av møbler i fylkets skoler."), "Sirkulære møbler i skolene"),
    (SpeakerSpec("Bård Ødegaard", "Innkjøpsleder", "Nordland fylkeskommune"), "Grønn sjøtransport i nord"),
    (SpeakerSpec("Åse Marie Hovland", "Innkjøpsrådgiver", "Bergen kommune"), "Fossilfrie byggeplasser"),
    (SpeakerSpec("Leila Haddad", "Prosjektleder", "Trondheim kommune"), "Velferdsteknologi som gir tid tilbake"),
    (SpeakerSpec("Torstein Vågen", "Fagleder anskaffelser", "Stavanger kommune"), "Mindre matsvinn på sykehjem"),
    (SpeakerSpec("Marte Krøger", "Klimarådgiver", "Bodø kommune"), "Lokale leverandører og klimakrav"),
    (SpeakerSpec("Eirik Dahl-Ønstad", "Innkjøpsrådgiver", "Kristiansand kommune",
                 "Tidligere leverandør, nå innkjøper."), "Gevinstrealisering: hva fikk vi igjen?"),
)
# fmt: on


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _sdg_agenda() -> tuple[ItemSpec, ...]:
    """Opening, five talks, a break, five talks, then questions: 09:00–11:00."""
    items = [ItemSpec("09:00", "09:05", "Velkommen og praktisk informasjon")]
    minute = 9 * 60 + 5
    for index, (_speaker, title) in enumerate(_SDG_TALKS):
        if index == len(_SDG_TALKS) // 2:
            items.append(ItemSpec(_clock(minute), _clock(minute + 5), "Pause", BREAK))
            minute += 5
        items.append(ItemSpec(_clock(minute), _clock(minute + 10), title, TALK, (index,)))
        minute += 10
    items.append(ItemSpec(_clock(minute), "11:00", "Spørsmål og diskusjon på den digitale tavla", DISCUSSION))
    return tuple(items)


# fmt: off
EVENTS: tuple[EventSpec, ...] = (
    EventSpec("innovative-anskaffelser-og-fns-baerekraftsmal", "Innovative anskaffelser og FNs bærekraftsmål",
        "Ti innledere fra stat, fylker og kommuner viser hvordan innovative anskaffelser bidrar til bærekraftsmålene.",
        _md("""
        Hvordan kan innkjøp bidra til å nå FNs bærekraftsmål? Ti innledere fra KS, DFØ, tre fylkeskommuner og
        fem kommuner deler konkrete erfaringer.

        - korte innlegg på 10 minutter
        - spørsmål i chatten underveis og på den digitale tavla (Padlet)
        - opptak og én presentasjon per innleder legges ut etter webinaret
        """), WEBINAR, ONLINE, "nb", NATIONAL, 10, "09:00", "11:00", weekday=4,
        speakers=tuple(speaker for speaker, _title in _SDG_TALKS), agenda=_sdg_agenda()),
    EventSpec("nordisk-bestillerdialog-utslippsfrie-leveranser",
        "Nordisk bestillerdialog: utslippsfrie leveranser – oppstartsmøte",
        "Oppstart i Oslo for offentlige virksomheter i Norden som vil kjøpe utslippsfrie leveranser av varer og "
        "tjenester.", _md("""
        Seks til tolv offentlige virksomheter fra Norge, Sverige, Danmark og Finland går sammen om å etterspørre
        utslippsfrie leveranser. På oppstartsmøtet blir vi kjent, beskriver behovene og legger planen fram mot juni.

        ## For å delta må virksomheten bekrefte at

        - deltakelsen er forankret i ledelsen
        - den har et reelt behov for å kjøpe utslippsfrie leveranser
        - den stiller med et tverrfaglig team (innkjøp, fag og miljø)
        - teamet har satt av tid fram til juni
        - én navngitt person er ansvarlig for deltakelsen
        - den dekker egne reisekostnader

        Prosjektet godkjenner påmeldingene. Hvert land har én kontaktperson. Vil du bare ha nyheter, meld deg
        på interesselista.
        """), DIALOGUE, IN_PERSON, "nb", NORDIC, 40, "10:00", "15:30", capacity=24, registration=(60, 14),
        venue=("Møtesenteret Kvadraturen, sal Nordlys", "Eksempelgata 12, 0150 Oslo", "Oslo"),
        speakers=(
            SpeakerSpec("Hanne Solbakken", "Prosjektleder", "Oslo kommune", "Kontaktperson for Norge."),
            SpeakerSpec("Sverre Ødegård", "Seniorrådgiver", "Miljødirektoratet"),
            SpeakerSpec("Åsa Lindqvist", "Upphandlingsstrateg", "Göteborgs Stad", "Kontaktperson för Sverige."),
            SpeakerSpec("Mette Kjærgaard", "Indkøbschef", "Aarhus Kommune", "Kontaktperson for Danmark."),
            SpeakerSpec("Jyrki Mäkelä", "Hankinta-asiantuntija", "Helsingin kaupunki", "Yhteyshenkilö Suomessa."),
        ),
        agenda=(
            ItemSpec("10:00", "10:20", "Velkommen: hvorfor en nordisk bestillerdialog?", TALK, (0,)),
            ItemSpec("10:20", "11:00", "Utslippsfrie leveranser: hva kan markedet levere i dag?", TALK, (1,)),
            ItemSpec("11:00", "11:15", "Kaffepause", BREAK),
            ItemSpec("11:15", "12:15", "Panel: fire land – fire innkjøpere", PANEL, (0, 2, 3, 4)),
            ItemSpec("12:15", "13:00", "Lunsj", BREAK),
            ItemSpec("13:00", "14:45", "Gruppearbeid: behov, tidsplan og ansvarlige", DISCUSSION),
            ItemSpec("14:45", "15:30", "Veien videre og oppsummering", DISCUSSION, (0,)),
        )),
    EventSpec("valkomna-nyfikna-kommuner", "Välkomna, nyfikna kommuner!",
        "Öppen träff för skånska kommuner som vill veta vad nätverket för innovationsupphandling erbjuder – på "
        "plats i Malmö eller online.", _md("""
        Är din kommun nyfiken på innovationsupphandling? Vi berättar vad nätverket erbjuder och hur
        medlemskommunerna har arbetat.

        - Vad nätverket gör och vad ett medlemskap innebär
        - Erfarenheter från två medlemskommuner
        - Så ansöker din kommun om att gå med

        Presentationen delas efter träffen. Under våren följer näringslivsdialoger med inkubatorer, företag
        och universitet.
        """), NETWORK, HYBRID, "sv", SKANE, 21, "13:00", "15:00", timezone="Europe/Stockholm", capacity=40,
        registration=(30, 2), venue=("Stadshuset, sal Öresund", "Exempelgatan 3, 211 20 Malmö", "Malmö"),
        speakers=(
            SpeakerSpec("Åsa Bengtsdotter", "Nätverkskoordinator", "Region Skåne", "Samordnar nätverket."),
            SpeakerSpec("Göran Håkansson", "Upphandlingsstrateg", "Lunds kommun"),
            SpeakerSpec("Linnéa Öberg", "Innovationsupphandlare", "Malmö stad"),
            SpeakerSpec("Mårten Sjöholm", "Inköpschef", "Helsingborgs stad"),
        ),
        agenda=(
            ItemSpec("13:00", "13:10", "Välkomna!", TALK, (0,)),
            ItemSpec("13:10", "13:40", "Det här erbjuder nätverket", TALK, (0, 1)),
            ItemSpec("13:40", "13:50", "Paus", BREAK),
            ItemSpec("13:50", "14:30", "Så gick det för oss: två medlemskommuner berättar", PANEL, (1, 2, 3)),
            ItemSpec("14:30", "15:00", "Frågor, och så ansöker ni", DISCUSSION, (0,)),
        )),
    EventSpec("leverandorkonferansen-helse-og-omsorg", "Leverandørkonferansen: smarte løsninger for helse og omsorg",
        "To dager der offentlige innkjøpere, leverandører, forskere og brukere møtes, og lokale pilotprosjekter "
        "legger fram resultater.", _md("""
        Kommunene står foran store behov innen helse og omsorg. Her møter leverandørene innkjøperne som skal
        kjøpe, forskerne som kan teste og brukerne som skal ta løsningene i bruk.

        - **Dag 1:** kommunene presenterer behov; innkjøpere og leverandører møtes i matchmaking.
        - **Dag 2:** lokale pilotprosjekter forteller hva de lærte, og vi samskaper i grupper.

        Lunsj og kaffe er inkludert. Konferansen er gratis, men plassene er begrenset.
        """), CONFERENCE, IN_PERSON, "nb", NATIONAL, 75, "09:30", "15:00", last_day=1, weekday=1, capacity=250,
        registration=(60, 7),
        venue=("Konferansesenteret Brattøra, sal A", "Eksempelveien 7, 7010 Trondheim", "Trondheim"),
        speakers=(
            SpeakerSpec("Torbjørn Æsøy", "Programleder", "Innovasjonsinnkjøp Norge (demo)"),
            SpeakerSpec("Ragnhild Skjærvø", "Innkjøpssjef", "Trondheim kommune"),
            SpeakerSpec("Sindre Øvrebø", "Spesialrådgiver helse", "Trøndelag fylkeskommune"),
            SpeakerSpec("Marit Haugen Lie", "Førsteamanuensis", "NTNU", "Forsker på tjenesteinnovasjon i kommunene."),
        ),
        agenda=(
            ItemSpec("09:30", "10:00", "Åpning: derfor trenger vi leverandørene", TALK, (0,)),
            ItemSpec("10:00", "11:00", "Kommunene presenterer sine behov", PANEL, (1, 2)),
            ItemSpec("11:00", "11:45", "Lunsj", BREAK),
            ItemSpec("11:45", "15:30", "Matchmaking: leverandører møter innkjøpere", DISCUSSION),
            ItemSpec("09:00", "11:00", "Pilotprosjekter fra regionen: hva lærte vi?", TALK, (3,), day=1),
            ItemSpec("11:00", "11:45", "Lunsj", BREAK, day=1),
            ItemSpec("11:45", "14:30", "Samskaping i grupper med FoU og brukere", DISCUSSION, day=1),
            ItemSpec("14:30", "15:00", "Oppsummering og veien videre", TALK, (0,), day=1),
        )),
    EventSpec("workshop-series-social-enterprises-1",
        "Workshop series, part 1: What can your municipality buy from social enterprises?",
        "The first online inspiration workshop for the municipalities in the Buying Small, Green and Social project.",
        _md("""
        The first of three inspiration workshops. We look at what social and green enterprises offer today, and
        at contract terms that let small suppliers take part.

        Before the workshop, please send the project team your contact details and a signed letter of intent.
        """), WORKSHOP, ONLINE, "en", RESEARCH, 28, "13:00", "15:30", timezone="Europe/Copenhagen", capacity=40),
    EventSpec("innovation-partnerships-explained", "Innovation partnerships explained: a webinar for Nordic buyers",
        "What an innovation partnership is, when it fits, and what buyers in four Nordic countries learned.",
        _md("""
        An innovation partnership lets a public buyer develop a new solution with suppliers and then buy it,
        in one procedure. Buyers from four countries share what worked and what they would do differently.

        Registration opens a month before the webinar.
        """), WEBINAR, ONLINE, "en", NORDIC, 50, "14:00", "15:30", capacity=500, registration=(30, 1)),
    EventSpec("evaluering-av-innovative-anskaffelser", "Webinar: slik evaluerer du innovative anskaffelser",
        "Utkast: program og innledere kommer.", "Hva skal vi måle, og når? *Programmet er under arbeid.*\n",
        WEBINAR, ONLINE, "nb", NATIONAL, 90, "09:00", "10:30", status=EventStatus.DRAFT),
    EventSpec("morgenmode-innovationspartnerskaber", "Morgenmøde: innovationspartnerskaber i praksis",
        "Aflyst: mødet flyttes til efteråret. Tilmeldte får besked på e-mail.",
        "Mødet er desværre aflyst, fordi flere oplægsholdere er blevet forhindret. Vi finder en ny dato til "
        "efteråret, og alle tilmeldte får besked på e-mail.\n",
        WORKSHOP, IN_PERSON, "da", NORDIC, 18, "08:30", "10:00", timezone="Europe/Copenhagen",
        status=EventStatus.CANCELLED, capacity=40,
        venue=("Borgerhuset, mødelokale 2", "Eksempelvej 5, 8000 Aarhus C", "Aarhus")),
    # --- past events ---
    EventSpec("markedsdialog-i-praksis", "Markedsdialog i praksis: slik snakker du med leverandørene før konkurransen",
        "DFØ og Drammen kommune om hvordan dialog med markedet gir bedre konkurranser.", _md("""
        Dialog med leverandørene før konkurransen er lov – og lønner seg. Vi går gjennom hva regelverket
        tillater, og Drammen kommune forteller om sin dialogkonferanse om velferdsteknologi.

        Opptaket og presentasjonene ligger på denne siden.
        """), WEBINAR, ONLINE, "nb", NATIONAL, -45, "13:00", "14:30",
        speakers=(
            SpeakerSpec("Solveig Aarnes", "Seniorrådgiver", "Direktoratet for forvaltning og økonomistyring"),
            SpeakerSpec("Halvard Østby", "Innkjøpsrådgiver", "Drammen kommune", "Har holdt tre dialogkonferanser."),
        ),
        agenda=(
            ItemSpec("13:00", "13:05", "Velkommen"),
            ItemSpec("13:05", "13:35", "Hvorfor dialog før konkurransen?", TALK, (0,)),
            ItemSpec("13:35", "14:05", "Slik gjorde vi det: dialogkonferanse om velferdsteknologi", TALK, (1,)),
            ItemSpec("14:05", "14:30", "Spørsmål og svar", DISCUSSION, (0, 1)),
        )),
    EventSpec("naringslivsdialog-hallbara-maltider", "Näringslivsdialog: hållbara måltider i skola och omsorg",
        "Kommunerna i nätverket mötte inkubatorer, företag och universitet om framtidens måltider.",
        "Hur kan kommunerna servera godare och mer hållbara måltider med mindre svinn? Företag, inkubatorer och "
        "forskare visade vad som redan finns, och kommunerna berättade om sina behov.\n",
        NETWORK, IN_PERSON, "sv", SKANE, -100, "09:00", "12:00", timezone="Europe/Stockholm", capacity=40,
        venue=("Kunskapshuset, konferensrum Kullen", "Exempelvägen 10, 223 70 Lund", "Lund")),
    EventSpec("inspiration-workshop-barcelona", "Inspiration workshop in Barcelona: social enterprises as suppliers",
        "Municipalities in the project learned how Barcelona reserves contracts for social enterprises.",
        "A day of site visits and workshops with the city's procurement team and local social enterprises. The "
        "project covered travel for one person per municipality.\n",
        WORKSHOP, IN_PERSON, "en", RESEARCH, -160, "09:30", "16:00", timezone="Europe/Madrid", capacity=12,
        venue=("Centre cívic (demo venue), sala 3", "Carrer d'Exemple 21, 08001 Barcelona", "Barcelona")),
    EventSpec("markkinavuoropuhelu-paastottomat-tyomaat", "Markkinavuoropuhelu: päästöttömät työmaat",
        "Pohjoismaiset julkiset hankkijat ja yritykset keskustelivat päästöttömistä työmaista.", _md("""
        Hankkijat esittelivät tarpeensa, ja yritykset kertoivat, mitä markkinoilla on jo tarjolla.

        - Hankkijoiden tarpeet
        - Yritysten puheenvuorot
        - Yhteinen keskustelu seuraavista askelista
        """), DIALOGUE, HYBRID, "fi", NORDIC, -70, "09:00", "12:00", timezone="Europe/Helsinki", capacity=30,
        venue=("Kokouskeskus Esimerkki, sali Aurora", "Esimerkkikatu 4, 00100 Helsinki", "Helsinki")),
)
# fmt: on

_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o"})
_COPIED = ("slug", "title", "summary", "description_md", "kind", "format", "timezone", "language", "status", "capacity")


def speaker_email(name: str) -> str:
    """ "Åse Marie Hovland" → "ase.marie.hovland@example.org" (plain ASCII, never a real domain)."""
    plain = unicodedata.normalize("NFKD", name.casefold().translate(_TRANSLITERATION))
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return ".".join(plain.split()) + "@example.org"


def _instant(day: date, wall: str, tz: str) -> datetime:
    """Wall-clock time ``wall`` ("HH:MM") on ``day`` in zone ``tz``, as an aware UTC datetime."""
    hours, minutes = (int(part) for part in wall.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=ZoneInfo(tz)).astimezone(UTC)


def _first_day(spec: EventSpec, now: datetime) -> date:
    day = now.astimezone(ZoneInfo(spec.timezone)).date() + timedelta(days=spec.days_from_now)
    if spec.weekday is not None:
        day += timedelta(days=(spec.weekday - day.weekday()) % 7)
    elif day.weekday() >= 5:  # public-sector events happen on working days: move to the Monday
        day += timedelta(days=7 - day.weekday())
    return day


def _build_event(spec: EventSpec, programme: Programme | None, now: datetime) -> Event:
    """The event with its speakers and agenda, in memory (the caller adds it to the session)."""
    first_day = _first_day(spec, now)
    starts_at = _instant(first_day, spec.start, spec.timezone)
    venue_name, venue_address, city = spec.venue if spec.format is not ONLINE else ("", "", "")
    event = Event(
        **{name: getattr(spec, name) for name in _COPIED},
        programme=programme,
        starts_at=starts_at,
        ends_at=_instant(first_day + timedelta(days=spec.last_day), spec.end, spec.timezone),
        venue_name=venue_name,
        venue_address=venue_address,
        city=city,
        online_url="" if spec.format is IN_PERSON else f"https://meet.example.org/{spec.slug}",
    )
    if spec.registration is not None:
        opens, closes = spec.registration
        event.registration_opens_at = starts_at - timedelta(days=opens)
        event.registration_closes_at = starts_at - timedelta(days=closes)
    speakers = [Speaker(event=event, email=speaker_email(s.name), **asdict(s)) for s in spec.speakers]
    for position, item_spec in enumerate(spec.agenda):
        day = first_day + timedelta(days=item_spec.day)
        item = AgendaItem(
            event=event,
            position=position,
            starts_at=_instant(day, item_spec.start, spec.timezone),
            ends_at=_instant(day, item_spec.end, spec.timezone),
            title=item_spec.title,
            kind=item_spec.kind,
        )
        for index in item_spec.speakers:
            item.speakers.append(speakers[index])
    return event


def seed_demo(*, now: datetime | None = None) -> SeedReport:
    """Add the demo programmes and events whose slugs are missing; report what was added and kept.

        Side effects: inserts rows into programmes, events, speakers, agenda_items and agenda_item_speakers
        through ``db.session`` (needs an app context) in one transaction, committed once at the end (on any
        error it is rolled back and nothing is kept). Rows whose slug exists are left untouched, so a second
        run adds nothing; a new event joins the existing programme of its slug. Event dates are relative to
        ``now`` (default ``utcnow()``; must be aware). Sends no mail. The past webinar's slides go into file
    storage (content-addressed; removed again if the transaction fails). Two concurrent runs
        may collide on a slug: the later one fails with an IntegrityError and adds nothing.
    """
    now = now or utcnow()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("seed_demo needs a timezone-aware 'now'")
    stored: list[str] = []
    try:
        programmes, programmes_kept = add_programmes()
        for programme in programmes.values():
            if programme.id is None:  # added now: with its interest list's confirmed subscribers
                db.session.add_all(demo_subscribers(programme, now=now))

        event_slugs = [spec.slug for spec in EVENTS]
        existing = set(db.session.scalars(select(Event.slug).where(Event.slug.in_(event_slugs))))
        for event_spec in EVENTS:
            if event_spec.slug not in existing:
                event_programme = programmes[event_spec.programme] if event_spec.programme else None
                event = _build_event(event_spec, event_programme, now)
                apply_registration_demo(event, now=now)
                apply_place_demo(event)
                db.session.add(event)
                db.session.flush()
                answer_and_confirm(event)
                word_in_other_languages(event)
                if event_spec.slug == WEBINAR_SLUG and event.is_past(now):
                    stored += add_webinar_materials(event)
                    add_webinar_survey(event)
        stored += add_demo_calls(programmes, nordic=NORDIC, network=SKANE, now=now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        for sha256 in stored:
            forget_unless_used(sha256)
        raise
    return SeedReport(
        programmes_added=len(PROGRAMMES) - programmes_kept,
        programmes_kept=programmes_kept,
        events_added=len(EVENTS) - len(existing),
        events_kept=len(existing),
    )


DEMO_ORGANISER = "organiser@example.org"


def demo_organiser(instance: Path) -> tuple[str, str]:
    """The demo administrator's login. The password is random, made once per checkout and kept in
    instance/demo-organiser-password (mode 0600), so nothing secret is in the code; the account owns
    every demo event and programme. Returns (email, password)."""
    from eventapp.accounts.enums import Role
    from eventapp.accounts.models import User
    from eventapp.accounts.services import create_user

    secret = instance / "demo-organiser-password"
    if not secret.exists():
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(12))
    password = secret.read_text().strip()
    user = db.session.scalars(select(User).where(User.email == DEMO_ORGANISER)).first()
    if user is None:
        user = create_user(email=DEMO_ORGANISER, password=password, name="Demo Organiser", role=Role.ADMIN)
    slugs = [spec.slug for spec in EVENTS]
    for event in db.session.scalars(select(Event).where(Event.slug.in_(slugs), Event.created_by_id.is_(None))):
        event.created_by_id = user.id
    db.session.execute(
        db.update(Programme)
        .where(Programme.slug.in_([p.slug for p in PROGRAMMES]), Programme.created_by_id.is_(None))
        .values(created_by_id=user.id)
    )
    db.session.commit()
    return DEMO_ORGANISER, password
