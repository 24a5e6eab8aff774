"""The demo data: realistic, complete, fictional, and safe to seed twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from eventapp import demo
from eventapp.agenda.enums import AgendaItemKind
from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker
from eventapp.db import utcnow
from eventapp.demo import SeedReport, seed_demo
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.programmes.models import Programme
from eventapp.speakers.models import Speaker

SDG_TITLE = "Innovative anskaffelser og FNs bærekraftsmål"


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def _row_counts() -> dict[str, int]:
    return {m.__name__: _count(m) for m in (Programme, Event, Speaker, AgendaItem, AgendaItemSpeaker)}


def _events() -> list[Event]:
    return list(db.session.scalars(select(Event).order_by(Event.starts_at)))


def _sdg_webinar() -> Event:
    return db.session.scalars(select(Event).where(Event.title == SDG_TITLE)).one()


def test_seed_fills_every_kind_format_and_time(in_app):
    with in_app():
        report = seed_demo()
        now = utcnow()
        events = _events()
        assert report == SeedReport(
            programmes_added=_count(Programme), programmes_kept=0, events_added=len(events), events_kept=0
        )
        assert _count(Programme) >= 3
        assert len(events) >= 8
        assert {e.kind for e in events} == set(EventKind)
        assert {e.format for e in events} == set(EventFormat)
        published = [e for e in events if e.status is EventStatus.PUBLISHED]
        assert len([e for e in published if e.is_past(now)]) >= 3
        assert len([e for e in published if not e.is_past(now)]) >= 5
        drafts = [e for e in events if e.status is EventStatus.DRAFT]
        cancelled = [e for e in events if e.status is EventStatus.CANCELLED]
        assert len(drafts) == 1
        assert len(cancelled) == 1
        assert not cancelled[0].is_past(now)
        assert any(e.spans_several_days for e in events)
        assert "Europe/Helsinki" in {e.timezone for e in events}


def test_seeding_twice_adds_nothing_the_second_time(in_app):
    with in_app():
        first = seed_demo()
        counts = _row_counts()
    with in_app():
        second = seed_demo()
        assert second == SeedReport(
            programmes_added=0,
            programmes_kept=first.programmes_added,
            events_added=0,
            events_kept=first.events_added,
        )
        assert _row_counts() == counts


def test_existing_slugs_are_kept_untouched(in_app, create_programme, create_event):
    create_programme(slug=demo.NATIONAL, title="Our own programme")
    create_event(slug="valkomna-nyfikna-kommuner", title="Our own meeting")
    with in_app():
        report = seed_demo()
        assert (report.programmes_kept, report.events_kept) == (1, 1)
        assert report.programmes_added == len(demo.PROGRAMMES) - 1
        assert report.events_added == len(demo.EVENTS) - 1
        own = db.session.scalars(select(Programme).where(Programme.slug == demo.NATIONAL)).one()
        assert own.title == "Our own programme"
        assert {e.title for e in own.events} >= {SDG_TITLE}  # new demo events join the existing programme
        meeting = db.session.scalars(select(Event).where(Event.slug == "valkomna-nyfikna-kommuner")).one()
        assert meeting.title == "Our own meeting"
        assert meeting.agenda_items == []


def test_sdg_webinar_has_ten_speakers_from_ten_organisations_each_on_the_agenda(in_app):
    with in_app():
        seed_demo()
        webinar = _sdg_webinar()
        assert (webinar.kind, webinar.format) == (EventKind.WEBINAR, EventFormat.ONLINE)
        assert len(webinar.speakers) == 10
        assert len({s.organisation for s in webinar.speakers}) == 10
        on_agenda = {s.id for item in webinar.agenda_items for s in item.speakers}
        assert on_agenda == {s.id for s in webinar.speakers}
        items = webinar.agenda_items
        assert len(items) >= 10
        assert {AgendaItemKind.BREAK, AgendaItemKind.DISCUSSION} <= {i.kind for i in items}
        for item in items:
            if item.speakers:
                assert timedelta(minutes=10) <= item.ends_at - item.starts_at <= timedelta(minutes=15)


@pytest.mark.parametrize(
    "now",
    [
        datetime(2025, 3, 20, 12, 0, tzinfo=UTC),  # the webinar falls just after the spring DST change
        datetime(2025, 10, 16, 22, 30, tzinfo=UTC),  # already the next day in Oslo; autumn DST change ahead
        datetime(2025, 12, 24, 23, 59, tzinfo=UTC),
    ],
)
def test_sdg_webinar_is_a_friday_morning_at_least_ten_days_ahead(in_app, now):
    with in_app():
        seed_demo(now=now)
        webinar = _sdg_webinar()
        oslo = ZoneInfo("Europe/Oslo")
        start, end = webinar.starts_at.astimezone(oslo), webinar.ends_at.astimezone(oslo)
        assert webinar.timezone == "Europe/Oslo"
        assert start.weekday() == 4
        assert (start.hour, start.minute, end.hour, end.minute) == (9, 0, 11, 0)
        assert start.date() == end.date()
        assert (start.date() - now.astimezone(oslo).date()).days >= 10


def test_times_are_consistent(in_app):
    with in_app():
        now = utcnow()
        seed_demo(now=now)
        for event in _events():
            assert event.starts_at.tzinfo is not None
            assert event.ends_at > event.starts_at
            assert event.local_starts_at.weekday() < 5, event.slug
            if event.is_past(now):
                assert event.ends_at <= now - timedelta(days=10)
            for item in event.agenda_items:
                assert event.starts_at <= item.starts_at < item.ends_at <= event.ends_at, (event.slug, item.title)
            if event.registration_closes_at is not None:
                assert event.registration_closes_at < event.starts_at
                assert event.registration_opens_at is None or event.registration_opens_at < event.registration_closes_at


def test_places_and_join_links_match_the_format(in_app):
    with in_app():
        seed_demo()
        for event in _events():
            if event.has_venue:
                assert all((event.venue_name, event.venue_address, event.city)), event.slug
            else:
                assert (event.venue_name, event.venue_address, event.city) == ("", "", ""), event.slug
            if event.has_online_part:
                assert event.online_url.startswith("https://meet.example.org/"), event.slug
            else:
                assert event.online_url == "", event.slug


def test_only_example_org_addresses(in_app):
    with in_app():
        seed_demo()
        emails = list(db.session.scalars(select(Speaker.email)))
        assert emails
        assert all(email.endswith("@example.org") and email.isascii() for email in emails)


def test_titles_in_norwegian_swedish_and_english(in_app):
    with in_app():
        seed_demo()
        assert {"nb", "sv", "en"} <= {e.language for e in _events()}
        assert {"nb", "sv", "en"} <= set(db.session.scalars(select(Programme.language)))
        titles = " ".join(e.title for e in _events() if e.language in {"nb", "sv"})
        assert set("æøåä") <= set(titles)  # the demo shows non-ASCII text as it will really appear


def test_dialogue_meeting_lists_the_participation_checklist(in_app):
    with in_app():
        seed_demo()
        dialogue = db.session.scalars(select(Event).where(Event.title.startswith("Nordisk bestillerdialog"))).one()
        assert (dialogue.kind, dialogue.format, dialogue.city) == (
            EventKind.DIALOGUE_MEETING,
            EventFormat.IN_PERSON,
            "Oslo",
        )
        assert dialogue.description_html.count("<li>") == 6
        assert "reisekostnader" in dialogue.description_html


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        seed_demo(now=datetime(2025, 1, 1, 9, 0))  # noqa: DTZ001 - the point of the test


def test_cli_seed_demo_reports_the_numbers(app, in_app):
    runner = app.test_cli_runner()
    programmes, events = len(demo.PROGRAMMES), len(demo.EVENTS)

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"{programmes} programmes and {events} events added" in result.output
    assert "(0 programmes and 0 events were already there)" in result.output

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0, again.output
    assert "0 programmes and 0 events added" in again.output
    assert f"({programmes} programmes and {events} events were already there)" in again.output
    with in_app():
        assert (_count(Programme), _count(Event)) == (programmes, events)


def test_catalogue_shows_the_seeded_webinar(in_app, client):
    with in_app():
        seed_demo()
    response = client.get("/")
    assert response.status_code == 200
    assert SDG_TITLE in response.get_data(as_text=True)


def test_the_dialogue_meeting_takes_applications_with_the_checklist_and_a_quota(in_app, client):
    from eventapp.events.models import Event
    from eventapp.registrations.enums import RegistrationStatus

    with in_app():
        seed_demo()
        event = db.session.scalars(
            select(Event).where(Event.slug == "nordisk-bestillerdialog-utslippsfrie-leveranser")
        ).one()
        assert event.requires_approval
        assert event.quota_per_organisation == 2
        assert len(event.requirements) == 6
        assert [r.status for r in event.registrations].count(RegistrationStatus.PENDING) == 4
        slug = event.slug

    form = client.get(f"/events/{slug}/register").get_data(as_text=True)
    assert "Deltakelsen er forankret i ledelsen" in form
    assert "Hvilke leveranser vil dere gjøre utslippsfrie?" in form
    assert "Hvilket land representerer dere?" not in form  # the standard country field asks it once


def test_the_past_webinar_shows_the_whole_lifecycle_recording_slides_board_and_summary(in_app, client, app):
    from eventapp.materials.demo import BOARD_URL, RECORDING_URL, WEBINAR_SLUG
    from eventapp.materials.enums import MaterialKind
    from eventapp.materials.models import Material, MaterialFile
    from eventapp.materials.storage import storage_for

    with in_app():
        seed_demo()
        webinar = db.session.scalars(select(Event).where(Event.slug == WEBINAR_SLUG)).one()
        assert webinar.is_past()
        assert webinar.materials_published_at is not None
        materials = list(db.session.scalars(select(Material).where(Material.event_id == webinar.id)))
        assert all(m.published for m in materials)
        kinds = [m.kind for m in materials]
        assert kinds.count(MaterialKind.RECORDING) == kinds.count(MaterialKind.BOARD) == 1
        slides = [m for m in materials if m.kind is MaterialKind.SLIDES]
        assert {m.speaker_id for m in slides} == {s.id for s in webinar.speakers}  # each speaker's deck
        storage = storage_for(app)
        for deck in slides:
            with storage.open(deck.current_file.sha256) as stored:
                content = stored.read()
            assert content.startswith(b"%PDF-1.4")
            assert content.rstrip().endswith(b"%%EOF")
            assert deck.speaker.name.encode("latin-1") in content
        files = _count(MaterialFile)
        slug = webinar.slug

    page = client.get(f"/events/{slug}").get_data(as_text=True)
    assert "Opptak av webinaret" in page
    assert RECORDING_URL.rsplit("/", 1)[1] in page  # the video, played from youtube-nocookie.com on a click
    assert BOARD_URL in page
    assert "Hvorfor dialog før konkurransen?" in page
    assert page.count(".pdf") >= 3  # the two talks' slides and the summary, to download

    with in_app():
        seed_demo()
        assert (_count(Material), _count(MaterialFile)) == (len(materials), files)  # twice adds nothing


def test_in_person_demo_events_say_where_they_are(in_app, client):
    with in_app():
        seed_demo()
        countries = {e.slug: e.venue_country for e in _events() if e.has_venue}
        dialogue = db.session.scalars(
            select(Event).where(Event.slug == "nordisk-bestillerdialog-utslippsfrie-leveranser")
        ).one()
        assert (dialogue.latitude, dialogue.longitude) == (59.9087, 10.7436)
        malmo = next(e for e in _events() if e.city == "Malmö")
        slug = malmo.slug

    assert countries["nordisk-bestillerdialog-utslippsfrie-leveranser"] == "NO"
    assert countries[slug] == "SE"
    assert "teleslynge" in client.get("/events/nordisk-bestillerdialog-utslippsfrie-leveranser").get_data(as_text=True)
    assert '<option selected value="SE">' in client.get(f"/events/{slug}/register?lang=fi").get_data(as_text=True)


def test_demo_applicants_confirmed_the_requirements_and_answered_the_questions(in_app):
    from eventapp.registrations.enums import RegistrationStatus
    from eventapp.registrations.models import Registration

    with in_app():
        seed_demo()
        dialogue = db.session.scalars(
            select(Event).where(Event.slug == "nordisk-bestillerdialog-utslippsfrie-leveranser")
        ).one()
        pending = [r for r in dialogue.registrations if r.status is RegistrationStatus.PENDING]
        assert pending
        for registration in pending:
            assert len(registration.confirmations) == len(dialogue.requirements) == 6
        assert {a.value for r in pending for a in r.answers} >= {"Hurtigbåter og ferjer"}
        assert _count(Registration) > 0
