"""The change log reads in the reader's language: every action is stored as a code and parameters and
written out when the page is shown, in English, Norwegian Bokmål or Swedish; values through their labels,
times in the event's zone with the zone named. Old rows with an English summary still show it, and the
purge leaves no attendee's name in the parameters."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from eventapp.accounts import audit
from eventapp.accounts.audit_texts import TEMPLATES
from eventapp.accounts.enums import AuditRole
from eventapp.accounts.models import AuditEntry, User
from eventapp.db import utcnow
from eventapp.events.enums import EventFormat
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.registrations import chores, services
from eventapp.registrations.enums import QuestionKind
from tests.manage.audit_cases import MORE_CASES, PERSON_CASES
from tests.registrations.conftest import text_of
from tests.registrations.test_rules import data

AT = datetime(2031, 6, 2, 7, 0, tzinfo=UTC)  # 09:00 in Oslo (summer time)
LATER = AT + timedelta(hours=1)

#: (action, parameters as the call site stores them, English, Norwegian Bokmål, Swedish). "Owner" acted.
CASES = [
    ("event.created", {}, "Event created by Owner", "Arrangementet opprettet av Owner", "Evenemanget skapat av Owner"),
    (
        "event.created",
        {"source": "dialog-2030"},
        "Event created by Owner as a copy of dialog-2030",
        "Arrangementet opprettet av Owner som kopi av dialog-2030",
        "Evenemanget skapat av Owner som kopia av dialog-2030",
    ),
    (
        "event.updated",
        {"told": 3, "changes": audit.changes(starts_at=(AT, LATER), format=(EventFormat.ONLINE, EventFormat.HYBRID))},
        "Event changed by Owner: Starts: 2 Jun 2031 09:00 Central European Summer Time → 2 Jun 2031 10:00 Central "
        "European Summer Time; Format: Online → Hybrid: in person and online; "
        "3 confirmed attendees were sent the updated invitation",
        "Arrangementet endret av Owner: Start: 2. juni 2031 09:00 sentraleuropeisk sommertid → 2. juni 2031 10:00 "
        "sentraleuropeisk sommertid; Format: Digitalt → Hybrid: fysisk og digitalt; "
        "3 bekreftede deltakere fikk den oppdaterte invitasjonen",
        "Evenemanget ändrat av Owner: Börjar: 2 juni 2031 09:00 centraleuropeisk sommartid → 2 juni 2031 10:00 "
        "centraleuropeisk sommartid; Format: Online → Hybrid: på plats och online; "
        "3 bekräftade deltagare fick den uppdaterade inbjudan",
    ),
    (
        "event.published",
        {},
        "Event published by Owner",
        "Arrangementet publisert av Owner",
        "Evenemanget publicerat av Owner",
    ),
    (
        "event.unpublished",
        {},
        "Event taken back to draft by Owner",
        "Arrangementet gjort om til utkast av Owner",
        "Evenemanget återställt till utkast av Owner",
    ),
    (
        "event.cancelled",
        {"told": 1},
        "Event cancelled by Owner; 1 person was told",
        "Arrangementet avlyst av Owner; 1 person fikk beskjed",
        "Evenemanget inställt av Owner; 1 person fick besked",
    ),
    (
        "event.translated",
        {"locale": "fi"},
        "Translation into Finnish saved by Owner",
        "Oversettelsen til finsk lagret av Owner",
        "Översättningen till finska sparad av Owner",
    ),
    (
        "event.translation_removed",
        {"locale": "sv"},
        "Translation into Swedish removed by Owner",
        "Oversettelsen til svensk fjernet av Owner",
        "Översättningen till svenska borttagen av Owner",
    ),
    (
        "event.manager_added",
        {"name": "Kari Team"},
        "Kari Team added to the team by Owner",
        "Kari Team lagt til i teamet av Owner",
        "Kari Team tillagd i teamet av Owner",
    ),
    (
        "event.manager_removed",
        {"name": "Kari Team"},
        "Kari Team removed from the team by Owner",
        "Kari Team fjernet fra teamet av Owner",
        "Kari Team borttagen från teamet av Owner",
    ),
    (
        "agenda.added",
        {"title": "Opening", "starts_at": audit.value(AT)},
        "Agenda: “Opening” at 2 Jun 2031 09:00 Central European Summer Time added by Owner",
        "Agenda: «Opening» kl. 2. juni 2031 09:00 sentraleuropeisk sommertid lagt til av Owner",
        "Agenda: ”Opening” 2 juni 2031 09:00 centraleuropeisk sommartid tillagd av Owner",
    ),
    (
        "agenda.changed",
        {"title": "Opening", "changes": audit.changes(title=("Start", "Opening"))},
        "Agenda: “Opening” changed by Owner: Title: Start → Opening",
        "Agenda: «Opening» endret av Owner: Tittel: Start → Opening",
        "Agenda: ”Opening” ändrad av Owner: Titel: Start → Opening",
    ),
    (
        "agenda.removed",
        {"title": "Lunch"},
        "Agenda: “Lunch” removed by Owner",
        "Agenda: «Lunch» fjernet av Owner",
        "Agenda: ”Lunch” borttagen av Owner",
    ),
    (
        "agenda.moved",
        {"title": "Lunch", "up": True},
        "Agenda: “Lunch” moved up by Owner",
        "Agenda: «Lunch» flyttet opp av Owner",
        "Agenda: ”Lunch” flyttad upp av Owner",
    ),
    (
        "question.added",
        {"label": "Diet", "required": True, "kind": audit.value(QuestionKind.SHORT_TEXT)},
        "Sign-up form: the required question “Diet” added by Owner",
        "Påmeldingsskjema: det obligatoriske spørsmålet «Diet» lagt til av Owner",
        "Anmälningsformulär: den obligatoriska frågan ”Diet” tillagd av Owner",
    ),
    (
        "question.changed",
        {"label": "Diet", "changes": audit.changes(kind=(QuestionKind.SHORT_TEXT, QuestionKind.YES_NO))},
        "Sign-up form: the question “Diet” changed by Owner: Kind: Short text → Yes or no",
        "Påmeldingsskjema: spørsmålet «Diet» endret av Owner: Type: Kort tekst → Ja eller nei",
        "Anmälningsformulär: frågan ”Diet” ändrad av Owner: Typ: Kort text → Ja eller nej",
    ),
    (
        "question.removed",
        {"label": "Diet", "answers": 2},
        "Sign-up form: the question “Diet” and its 2 answers removed by Owner",
        "Påmeldingsskjema: spørsmålet «Diet» og 2 svar fjernet av Owner",
        "Anmälningsformulär: frågan ”Diet” och dess 2 svar borttagna av Owner",
    ),
    (
        "question.moved",
        {"label": "Diet"},
        "Sign-up form: the question “Diet” moved down by Owner",
        "Påmeldingsskjema: spørsmålet «Diet» flyttet ned av Owner",
        "Anmälningsformulär: frågan ”Diet” flyttad ned av Owner",
    ),
    (
        "requirement.added",
        {"text": "We buy"},
        "Sign-up form: the requirement “We buy” added by Owner",
        "Påmeldingsskjema: vilkåret «We buy» lagt til av Owner",
        "Anmälningsformulär: villkoret ”We buy” tillagt av Owner",
    ),
    (
        "requirement.changed",
        {"text": "We buy", "changes": audit.changes(text=("We may buy", "We buy"))},
        "Sign-up form: the requirement “We buy” changed by Owner: Text: We may buy → We buy",
        "Påmeldingsskjema: vilkåret «We buy» endret av Owner: Tekst: We may buy → We buy",
        "Anmälningsformulär: villkoret ”We buy” ändrat av Owner: Text: We may buy → We buy",
    ),
    (
        "requirement.removed",
        {"text": "We buy", "confirmations": 1},
        "Sign-up form: the requirement “We buy” and its 1 confirmation removed by Owner",
        "Påmeldingsskjema: vilkåret «We buy» og 1 bekreftelse fjernet av Owner",
        "Anmälningsformulär: villkoret ”We buy” och dess 1 bekräftelse borttagna av Owner",
    ),
    (
        "requirement.moved",
        {"text": "We buy", "up": True},
        "Sign-up form: the requirement “We buy” moved up by Owner",
        "Påmeldingsskjema: vilkåret «We buy» flyttet opp av Owner",
        "Anmälningsformulär: villkoret ”We buy” flyttat upp av Owner",
    ),
    (
        "speaker.added",
        {"speaker": "Aino Puhuja"},
        "Speaker Aino Puhuja added by Owner",
        "Foredragsholderen Aino Puhuja lagt til av Owner",
        "Talaren Aino Puhuja tillagd av Owner",
    ),
    (
        "speaker.invited",
        {"speaker": "Aino Puhuja"},
        "Invitation sent to the speaker Aino Puhuja by Owner",
        "Invitasjon sendt til foredragsholderen Aino Puhuja av Owner",
        "Inbjudan skickad till talaren Aino Puhuja av Owner",
    ),
    (
        "speaker.invited",
        {"speaker": "Aino Puhuja", "again": True},
        "New link sent to the speaker Aino Puhuja by Owner",
        "Ny lenke sendt til foredragsholderen Aino Puhuja av Owner",
        "Ny länk skickad till talaren Aino Puhuja av Owner",
    ),
    (
        "speaker.links_revoked",
        {"speaker": "Aino Puhuja", "count": 2},
        "2 links of the speaker Aino Puhuja revoked by Owner",
        "2 lenker til foredragsholderen Aino Puhuja trukket tilbake av Owner",
        "2 länkar till talaren Aino Puhuja återkallade av Owner",
    ),
    (
        "speaker.reminded",
        {"count": 2, "speakers": ["Aino Puhuja", "Per Talar"]},
        "Slide reminder sent by Owner to 2 speakers: Aino Puhuja, Per Talar",
        "Påminnelse om presentasjoner sendt av Owner til 2 foredragsholdere: Aino Puhuja, Per Talar",
        "Påminnelse om presentationer skickad av Owner till 2 talare: Aino Puhuja, Per Talar",
    ),
    (
        "speaker.profile_updated",
        {"speaker": "Aino Puhuja", "changes": audit.changes(job_title=("", "Rådgiver"))},
        "Profile of the speaker Aino Puhuja changed by Owner: Job title: (none) → Rådgiver",
        "Profilen til foredragsholderen Aino Puhuja endret av Owner: Stillingstittel: (ingen) → Rådgiver",
        "Profilen för talaren Aino Puhuja ändrad av Owner: Yrkestitel: (ingen) → Rådgiver",
    ),
    (
        "speaker.email_changed",
        {"speaker": "Aino Puhuja"},
        "Address of the speaker Aino Puhuja changed by Owner",
        "E-postadressen til foredragsholderen Aino Puhuja endret av Owner",
        "E-postadressen till talaren Aino Puhuja ändrad av Owner",
    ),
    (
        "material.added",
        {"kind": audit.value(MaterialKind.RECORDING), "title": "Opptak", "url": "https://example.org/v"},
        "Recording “Opptak” added by Owner: https://example.org/v",
        "Opptak «Opptak» lagt til av Owner: https://example.org/v",
        "Inspelning ”Opptak” har lagts till av Owner: https://example.org/v",
    ),
    (
        "material.added",
        {"kind": audit.value(MaterialKind.DOCUMENT), "title": "Plan", "file": "plan.pdf"},
        "Document “Plan” uploaded by Owner: plan.pdf",
        "Dokument «Plan» lastet opp av Owner: plan.pdf",
        "Dokument ”Plan” har laddats upp av Owner: plan.pdf",
    ),
    (
        "material.edited",
        {
            "kind": audit.value(MaterialKind.DOCUMENT),
            "title": "Plan",
            "changes": audit.changes(visibility=(Visibility.PUBLIC, Visibility.REGISTERED), published=(False, True)),
        },
        "Document “Plan” edited by Owner: Who may see it: Everyone → Registered attendees only; Published: no → yes",
        "Dokument «Plan» endret av Owner: Hvem som kan se det: Alle → Bare påmeldte deltakere; Publisert: nei → ja",
        "Dokument ”Plan” har ändrats av Owner: Vilka som får se det: Alla → Bara anmälda deltagare; "
        "Publicerad: nej → ja",
    ),
    (
        "material.uploaded",
        {"kind": audit.value(MaterialKind.SLIDES), "title": "Keynote", "version": 2, "file": "keynote.pdf"},
        "Slides “Keynote”: version 2 uploaded by Owner: keynote.pdf",
        "Presentasjon «Keynote»: versjon 2 lastet opp av Owner: keynote.pdf",
        "Presentation ”Keynote”: version 2 har laddats upp av Owner: keynote.pdf",
    ),
    (
        "material.withdrawn",
        {"kind": audit.value(MaterialKind.SLIDES), "title": "Keynote"},
        "Slides “Keynote” withdrawn by Owner",
        "Presentasjon «Keynote» trukket tilbake av Owner",
        "Presentation ”Keynote” har återkallats av Owner",
    ),
    (
        "material.deleted",
        {"kind": audit.value(MaterialKind.DOCUMENT), "title": "Plan", "files": 2},
        "Document “Plan” deleted by Owner with 2 file versions",
        "Dokument «Plan» slettet av Owner, med 2 filversjoner",
        "Dokument ”Plan” har raderats av Owner, med 2 filversioner",
    ),
    (
        "materials.published",
        {"mailed": 4},
        "Materials published by Owner; follow-up mail to 4 confirmed attendees",
        "Materiellet publisert av Owner; oppfølgingse-post til 4 bekreftede deltakere",
        "Materialet publicerat av Owner; uppföljningsmejl till 4 bekräftade deltagare",
    ),
    (
        "materials.unpublished",
        {},
        "Materials section hidden by Owner",
        "Materiellseksjonen skjult av Owner",
        "Materialavsnittet dolt av Owner",
    ),
    *MORE_CASES,
]


@pytest.fixture
def oslo_event(app, client, create_event, create_account, log_in):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id, timezone="Europe/Oslo", title="Leverandørdialog")
    log_in(client, "owner@example.org")
    return event


def _page(client, event, lang: str) -> str:
    response = client.get(f"/manage/events/{event.id}/audit?lang={lang}")
    assert response.status_code == 200
    return text_of(response.get_data(as_text=True))


def _record(app, event, cases, *, registration_id=None) -> None:
    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == "owner@example.org")).one()
        for action, params, *_ in cases:
            audit.record(action, actor=owner, event_id=event.id, registration_id=registration_id, **params)
        db.session.commit()


def test_every_action_the_code_records_has_a_template():
    source = "\n".join(path.read_text() for path in Path("eventapp").rglob("*.py"))
    recorded = set(re.findall(r"""(?:audit\.record\(|_audit\()\s*\n?\s*"([a-z_]+\.[a-z_]+)\"""", source))
    recorded |= set(re.findall(r'"(registration\.[a-z_]+)" if', source))
    recorded |= set(re.findall(r'else "(registration\.[a-z_]+)"', source))
    recorded |= {f"account.{verb}" for verb in ("activated", "deactivated", "reactivated") if verb in source}
    recorded |= {"event.translated", "event.translation_removed", "event.unpublished"}
    assert len(recorded) > 40
    assert recorded - set(TEMPLATES) <= {"account.activated"}
    assert {case[0] for case in CASES + PERSON_CASES} == set(TEMPLATES)  # every template is tested below


@pytest.mark.parametrize(("lang", "column"), [("en", 2), ("nb", 3), ("sv", 4)])
def test_each_action_reads_in_the_readers_language(app, client, oslo_event, lang, column):
    _record(app, oslo_event, CASES)

    page = _page(client, oslo_event, lang)

    assert [case[column] for case in CASES if case[column] not in page] == []
    assert "%(" not in page
    assert "…" not in page


@pytest.mark.parametrize(("lang", "column"), [("en", 2), ("nb", 3), ("sv", 4)])
def test_each_change_of_a_registration_names_the_person_in_the_readers_language(app, oslo_event, client, lang, column):
    with app.app_context():
        kari = services.register(oslo_event.id, data("kari@example.org", name="Kari Nordmann")).registration_id
    _record(app, oslo_event, PERSON_CASES, registration_id=kari)

    page = _page(client, oslo_event, lang)

    assert [case[column] for case in PERSON_CASES if case[column] not in page] == []


def test_a_speaker_and_the_person_themself_are_named_by_role(app, client, oslo_event):
    with app.app_context():
        kari = services.register(oslo_event.id, data("kari@example.org", name="Kari Nordmann")).registration_id
        audit.record("material.uploaded", actor=None, event_id=oslo_event.id, role=AuditRole.SPEAKER,
                     speaker="Aino Puhuja", kind=audit.value(MaterialKind.SLIDES), title="Keynote", version=1,
                     file="keynote.pdf")  # fmt: skip
        audit.record("registration.cancelled", actor=None, event_id=oslo_event.id, registration_id=kari,
                     role=AuditRole.ATTENDEE)  # fmt: skip
        db.session.commit()

    english, norwegian = _page(client, oslo_event, "en"), _page(client, oslo_event, "nb")

    assert "Slides “Keynote”: version 1 uploaded by the speaker Aino Puhuja: keynote.pdf" in english
    assert "Kari Nordmann <kari@example.org>: cancelled by the person themself" in english
    assert "Presentasjon «Keynote»: versjon 1 lastet opp av foredragsholderen Aino Puhuja: keynote.pdf" in norwegian
    assert "Kari Nordmann <kari@example.org>: avmeldt av personen selv" in norwegian


def test_a_real_change_of_the_event_shows_old_and_new_times_in_the_events_zone(app, client, oslo_event):
    from eventapp.events.services import update_event
    from tests.calendar.test_sequence import event_data  # the form data of an event, with changes

    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == "owner@example.org")).one()
        event = db.session.get(Event, oslo_event.id)
        starts = datetime(2031, 1, 15, 8, 0, tzinfo=UTC)  # 09:00 in Oslo, winter time
        update_event(event.id, event_data(event, starts_at=starts, ends_at=starts + timedelta(hours=2)), actor=owner,
                     tell_attendees=False)  # fmt: skip
        [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "event.updated")).all()
        assert entry.summary == ""
        assert set(entry.details["changes"]) == {"starts_at", "ends_at"}

    norwegian = _page(client, oslo_event, "nb")

    assert "Arrangementet endret av Owner: Start: " in norwegian
    assert "→ 15. jan. 2031 09:00 sentraleuropeisk normaltid" in norwegian


def test_an_old_row_with_an_english_summary_still_shows_it(app, client, oslo_event):
    with app.app_context():
        db.session.add_all([
            AuditEntry(action="speaker.added", event_id=oslo_event.id, summary="Speaker added: Old Style Speaker"),
            AuditEntry(action="something.retired", event_id=oslo_event.id, summary="A change from long ago"),
            AuditEntry(action="something.retired", event_id=oslo_event.id),
        ])  # fmt: skip
        db.session.commit()

    html = client.get(f"/manage/events/{oslo_event.id}/audit?lang=nb").get_data(as_text=True)
    assert '<span lang="en">Speaker added: Old Style Speaker</span>' in html  # read out as English
    for lang in ("nb", "en"):
        page = _page(client, oslo_event, lang)
        assert "Speaker added: Old Style Speaker" in page
        assert "A change from long ago" in page
        assert "something.retired" in page  # no template, no summary: the code at least


def test_markup_in_a_parameter_is_shown_as_text(app, client, oslo_event):
    _record(app, oslo_event, [("agenda.removed", {"title": "<b>Lunch</b>"})])

    html = client.get(f"/manage/events/{oslo_event.id}/audit?lang=nb").get_data(as_text=True)

    assert "&lt;b&gt;Lunch&lt;/b&gt;" in html
    assert "<b>Lunch</b>" not in html


def test_the_purge_removes_attendee_names_from_the_parameters_and_old_summaries(app, client, oslo_event):
    with app.app_context():
        owner = db.session.scalars(select(User).where(User.email == "owner@example.org")).one()
        kari = services.register(oslo_event.id, data("kari.purge@example.org", name="Kari Zyxwvu")).registration_id
        services.cancel_registration(kari, actor=owner, note="Kari Zyxwvu called to say she is ill")
        audit.record("mail.resent", actor=owner, event_id=oslo_event.id, registration_id=kari, mail_id=1,
                     recipient="Kari Zyxwvu", name="Kari Zyxwvu", email="kari.purge@example.org")  # fmt: skip
        db.session.add(
            AuditEntry(
                action="mail.resent",
                event_id=oslo_event.id,
                registration_id=kari,
                summary="Owner sent a failed mail to Kari Zyxwvu again",
            )
        )  # an old-style row
        db.session.commit()
        before = json.dumps([[e.summary, e.details] for e in db.session.scalars(select(AuditEntry))])
        assert "Zyxwvu" in before
        long_ago = utcnow() - timedelta(days=400)
        db.session.execute(update(Event).where(Event.id == oslo_event.id).values(
            starts_at=long_ago, ends_at=long_ago + timedelta(hours=2)))  # fmt: skip
        db.session.commit()
        report = chores.purge_personal_data(retention_days=30)
        db.session.commit()
        after = [
            (e.action, e.summary, e.details) for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
        assert report.registrations == 1

    assert "Zyxwvu" not in json.dumps(after)
    assert "kari.purge" not in json.dumps(after)
    assert [action for action, *_ in after] == ["registration.cancelled", "mail.resent", "mail.resent"]  # kept
    for lang, removed in (("en", "a removed person"), ("nb", "en slettet person")):
        page = _page(client, oslo_event, lang)
        assert "Zyxwvu" not in page
        assert page.count(removed) == 3


def test_codes_and_ids_in_a_change_read_as_names(app, client, oslo_event):
    changes = audit.changes(language=("nb", "sv"), venue_country=("NO", "SE"), programme_id=(1, 2))
    _record(app, oslo_event, [("event.updated", {"changes": changes})])

    english, norwegian = _page(client, oslo_event, "en"), _page(client, oslo_event, "nb")

    assert (
        "Event changed by Owner: Language: Norwegian Bokmål → Swedish; Country of the venue: Norway → Sweden; Programme"
    ) in english
    assert "norsk bokmål → svensk" in norwegian
    assert "Norge → Sverige" in norwegian
