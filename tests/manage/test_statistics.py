"""Statistics in the back office: one event's and a programme's, as the tables beside the charts show
them, who may see them, and a fixed number of queries however many people signed up."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date

from eventapp.accounts.enums import Role
from eventapp.accounts.models import User
from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.registrations import services
from eventapp.registrations.enums import OrganisationType
from eventapp.registrations.models import Registration
from tests.conftest import at
from tests.registrations.conftest import text_of
from tests.registrations.test_rules import data

T = OrganisationType
OSLO = ZoneInfo("Europe/Oslo")


def oslo_today() -> date:
    return datetime.now(OSLO).date()


def day_text(value: date) -> str:
    """A date as the English pages write it ('11 Dec 2020')."""
    return format_date(value, format="medium", locale="en_GB")


def sign_up(app, event_id: int, email: str, *, on: date | None = None, at: datetime | None = None, **fields) -> int:
    """One person signed up through the service; ``on`` moves the sign-up to noon (Oslo) that day,
    ``at`` signs up at that moment (before an event that has started since)."""
    with app.app_context():
        registration_id = services.register(event_id, data(email, **fields), now=at).registration_id
        if on is not None:
            db.session.get(Registration, registration_id).created_at = datetime(
                on.year, on.month, on.day, 12, tzinfo=OSLO
            ).astimezone(UTC)
            db.session.commit()
    return registration_id


def check_in(app, registration_id: int, organiser_email: str) -> None:
    with app.app_context():
        actor = db.session.scalars(db.select(User).where(User.email == organiser_email)).one()
        services.check_in(registration_id, actor=actor)


def page(client, url: str) -> tuple[str, str]:
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.get_data(as_text=True)
    return html, text_of(html)


def svg_titles(html: str) -> list[str]:
    return re.findall(r'<svg [^>]*role="img"[^>]*>\s*<title id="[^"]+">([^<]+)</title>', html)


def test_event_statistics_show_each_count_in_a_table_beside_its_chart(
    app, client, create_account, log_in, create_event
):
    create_account("owner@example.org")
    with app.app_context():
        owner_id = db.session.scalars(db.select(User.id).where(User.email == "owner@example.org")).one()
    event = create_event(created_by_id=owner_id, capacity=4)
    today = oslo_today()
    first, second, third = today - timedelta(days=5), today - timedelta(days=3), today - timedelta(days=1)
    sign_up(app, event.id, "astrid@example.org", on=first, organisation_type=T.MUNICIPALITY, country="NO")
    sign_up(app, event.id, "emil@example.org", on=first, organisation_type=T.MUNICIPALITY, country="SE")
    sign_up(app, event.id, "nils@example.org", on=second, organisation_type=T.COMPANY, country="SE")
    sign_up(app, event.id, "aino@example.org", on=second, organisation_type=T.RESEARCH, country="FI")
    sign_up(app, event.id, "mette@example.org", on=third, organisation_type=T.STATE, country="DK")  # waiting list
    left = sign_up(app, event.id, "kari@example.org", on=third, organisation_type=T.COUNTY, country="NO")
    with app.app_context():
        services.cancel_registration(left)
    log_in(client, "owner@example.org")

    html, text = page(client, f"/manage/events/{event.id}/statistics")

    assert "Sign-ups in all 6" in text
    assert "Still registered 5" in text
    assert "Confirmed 4" in text
    assert "Cancelled or not approved 1" in text
    # Over time: one table row per day with sign-ups; the count so far, and how many of those are still in.
    assert f"{day_text(first)} 2 2 2" in text
    assert f"{day_text(second)} 2 4 4" in text
    assert f"{day_text(third)} 2 6 5" in text
    assert "Dates are in Central European Time." in text
    # By organisation type and country: active registrations only (the cancelled county person is out).
    assert "Municipality 2 40%" in text
    assert "Supplier or company 1 20%" in text
    assert "County or region 0 0%" in text
    assert "Sweden 2 40%" in text
    assert "Norway 1 20%" in text
    assert "Denmark 1 20%" in text
    # By status, as a share of every sign-up.
    assert "Confirmed 4 67%" in text
    assert "On the waiting list 1 17%" in text
    assert "Cancelled 1 17%" in text
    assert "All sign-ups 6 100%" in text
    # The charts: images with a name, a description, and the numbers written on them.
    assert svg_titles(html) == [
        "Registrations over time",
        "Registrations by organisation type",
        "Registrations by country",
    ]
    assert "All sign-ups: 6" in text
    assert "Still registered: 5" in text
    assert "Municipality 2 (40%)" in text  # the bar's label and its value
    assert html.count("<desc id=") == 3
    assert "style=" not in html  # the CSP would block inline styles
    # Not started: no attendance figure yet, and the page says why.
    assert "The attendance rate is known once the event has started" in text
    assert 'aria-current="page">Statistics</a>' in html


def test_attendance_rate_is_checked_in_out_of_confirmed_once_the_event_has_started(
    app, client, create_account, log_in, create_event
):
    owner = create_account("owner@example.org")
    started = utcnow() - timedelta(hours=1)
    event = create_event(created_by_id=owner.id, starts_at=started, ends_at=started + timedelta(hours=3))
    earlier = utcnow() - timedelta(days=2)
    people = [sign_up(app, event.id, f"p{i}@example.org", at=earlier) for i in range(3)]
    for person in people[:2]:
        check_in(app, person, "owner@example.org")
    quiet = create_event(created_by_id=owner.id, starts_at=started, ends_at=started + timedelta(hours=3))
    sign_up(app, quiet.id, "q@example.org", at=earlier)
    log_in(client, "owner@example.org")

    _html, text = page(client, f"/manage/events/{event.id}/statistics")
    _html, quiet_text = page(client, f"/manage/events/{quiet.id}/statistics")

    assert "67% of those confirmed came: 2 checked in of 3 confirmed." in text
    assert "Attendance rate 67%" in text
    assert "Checked in 2" in text
    assert "Nobody was checked in, so the attendance rate is not known (1 confirmed)." in quiet_text
    assert "Attendance rate not known" in quiet_text  # not 0 %: nobody used the check-in list


def test_sign_ups_are_counted_on_the_day_of_the_event_time_zone(app, client, create_account, log_in, create_event):
    owner = create_account("owner@example.org")
    oslo = create_event(created_by_id=owner.id, starts_at=at(2025, 4, 10, 9, tz="Europe/Oslo"))
    # 23:30 and 00:30 in Oslo the night summer time begins: 21:30 and 23:30 UTC on the 29th.
    sign_up(app, oslo.id, "late@example.org", at=at(2025, 3, 29, 23, 30, tz="Europe/Oslo"))
    sign_up(app, oslo.id, "after-midnight@example.org", at=at(2025, 3, 30, 0, 30, tz="Europe/Oslo"))
    # Kathmandu is 5 h 45 min ahead of UTC: 18:14 UTC is 23:59 there, 18:16 UTC is 00:01 the next day.
    kathmandu = create_event(created_by_id=owner.id, timezone="Asia/Kathmandu", starts_at=at(2025, 4, 10, 3))
    sign_up(app, kathmandu.id, "k1@example.org", at=datetime(2025, 3, 1, 18, 14, tzinfo=UTC))
    sign_up(app, kathmandu.id, "k2@example.org", at=datetime(2025, 3, 1, 18, 16, tzinfo=UTC))
    log_in(client, "owner@example.org")

    _html, oslo_text = page(client, f"/manage/events/{oslo.id}/statistics")
    html, kathmandu_text = page(client, f"/manage/events/{kathmandu.id}/statistics")

    assert "29 Mar 2025 1 1 1" in oslo_text
    assert "30 Mar 2025 1 2 2" in oslo_text
    assert "1 Mar 2025 1 1 1" in kathmandu_text
    assert "2 Mar 2025 1 2 2" in kathmandu_text
    assert "day by day from 1 Mar 2025 to 10 Apr 2025" in kathmandu_text  # up to the event's start
    assert '<time datetime="2025-03-02">' in html


def test_an_event_without_registrations_says_so_instead_of_empty_charts(
    app, client, create_account, log_in, create_event
):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id)
    log_in(client, "owner@example.org")

    html, text = page(client, f"/manage/events/{event.id}/statistics")

    assert "No registrations yet. The statistics appear here as soon as someone signs up." in text
    assert "<svg" not in html
    assert "%" not in text


def test_when_everyone_has_cancelled_the_page_still_works(app, client, create_account, log_in, create_event):
    owner = create_account("owner@example.org")
    event = create_event(created_by_id=owner.id)
    with app.app_context():
        services.cancel_registration(services.register(event.id, data("gone@example.org")).registration_id)
    log_in(client, "owner@example.org")

    html, text = page(client, f"/manage/events/{event.id}/statistics")

    assert "Sign-ups in all 1" in text
    assert "Still registered 0" in text
    assert "nobody is counted by organisation type or country" in text
    assert svg_titles(html) == ["Registrations over time"]


def test_programme_statistics_add_up_its_events_with_a_row_for_each(
    app, client, create_account, log_in, create_event, create_programme
):
    owner = create_account("owner@example.org")
    colleague = create_account("colleague@example.org")
    programme = create_programme(created_by_id=owner.id, title="Nordic buyer network")
    started = utcnow() - timedelta(days=10)
    earlier = started - timedelta(days=5)
    past = create_event(
        created_by_id=owner.id,
        programme=programme,
        title="Kick-off in Oslo",
        starts_at=started,
        ends_at=started + timedelta(hours=3),
    )
    coming = create_event(
        created_by_id=colleague.id, programme=programme, title="Dialogue in Malmö", requires_approval=True
    )
    elsewhere = create_event(created_by_id=owner.id, title="Not in the programme")
    a = sign_up(app, past.id, "a@example.org", at=earlier, organisation_type=T.MUNICIPALITY, country="NO")
    sign_up(app, past.id, "b@example.org", at=earlier, organisation_type=T.COUNTY, country="SE")
    sign_up(app, past.id, "c@example.org", at=earlier, organisation_type=T.MUNICIPALITY, country="SE")
    sign_up(app, past.id, "d@example.org", at=earlier, organisation_type=T.COMPANY, country="FI")
    check_in(app, a, "owner@example.org")
    yes = sign_up(app, coming.id, "e@example.org", organisation_type=T.MUNICIPALITY, country="DK")
    no = sign_up(app, coming.id, "f@example.org", organisation_type=T.COMPANY, country="NO")
    sign_up(app, coming.id, "g@example.org", organisation_type=T.STATE, country="NO")  # awaiting approval
    with app.app_context():
        services.approve(yes)
        services.reject(no)
    sign_up(app, elsewhere.id, "h@example.org", organisation_type=T.RESEARCH, country="IS")
    log_in(client, "owner@example.org")

    html, text = page(client, f"/manage/programmes/{programme.id}/statistics")

    assert "Statistics Nordic buyer network" in text
    assert "Events 2" in text
    assert "Sign-ups in all 7" in text
    assert "Still registered 6" in text
    assert "Confirmed 5" in text
    # One row per event: registrations (active), confirmed, checked in, attendance.
    assert f"Kick-off in Oslo {day_text(past.starts_at.astimezone(OSLO))} Published 4 4 1 25%" in text
    assert f"Dialogue in Malmö {day_text(coming.starts_at.astimezone(OSLO))} Published 2 1 0 not started" in text
    assert "All events 6 5 1 25%" in text
    # The owner manages the kick-off, not the colleague's dialogue: only the first links to its page.
    assert f'href="/manage/events/{past.id}/statistics"' in html
    assert f'href="/manage/events/{coming.id}/statistics"' not in html
    assert "Not in the programme" not in text
    # Aggregates across both events.
    assert "Municipality 3 50%" in text
    assert "Supplier or company 1 17%" in text
    assert "Norway 2 33%" in text
    assert "Sweden 2 33%" in text
    assert "Iceland" not in text
    assert "Not approved 1 14%" in text
    assert "Awaiting approval 1 14%" in text
    assert "The attendance rate counts the 1 event that has started and has check-ins" in text
    assert svg_titles(html) == [
        "Registrations per event",
        "Registrations over time",
        "Registrations by organisation type",
        "Registrations by country",
    ]
    assert "style=" not in html


def test_programme_without_events_or_registrations(app, client, create_account, log_in, create_programme, create_event):
    owner = create_account("owner@example.org")
    bare = create_programme(created_by_id=owner.id)
    quiet = create_programme(created_by_id=owner.id)
    create_event(created_by_id=owner.id, programme=quiet, title="Webinar nobody signed up for")
    log_in(client, "owner@example.org")

    _html, bare_text = page(client, f"/manage/programmes/{bare.id}/statistics")
    quiet_html, quiet_text = page(client, f"/manage/programmes/{quiet.id}/statistics")

    assert "This programme has no events yet." in bare_text
    assert "Webinar nobody signed up for" in quiet_text
    assert "No registrations yet." in quiet_text
    assert "<svg" not in quiet_html


def test_only_those_who_manage_see_statistics(app, create_account, log_in, create_event, create_programme, add_manager):
    owner = create_account("owner@example.org")
    manager = create_account("manager@example.org")
    create_account("other@example.org")
    create_account("admin@example.org", role=Role.ADMIN)
    programme = create_programme(created_by_id=owner.id)
    event = create_event(created_by_id=owner.id, programme=programme)
    add_manager(event.id, manager.id)
    event_url = f"/manage/events/{event.id}/statistics"
    programme_url = f"/manage/programmes/{programme.id}/statistics"

    results = {}
    for who in ("owner@example.org", "manager@example.org", "other@example.org", "admin@example.org"):
        with app.test_client() as fresh:
            log_in(fresh, who)
            results[who] = (fresh.get(event_url).status_code, fresh.get(programme_url).status_code)
            dashboard = fresh.get("/manage/").get_data(as_text=True)
            results[who] += (programme_url in dashboard,)
    with app.test_client() as fresh:
        log_in(fresh, "admin@example.org")
        unknown = fresh.get("/manage/programmes/999999/statistics").status_code
    anonymous = app.test_client().get(programme_url)

    assert results["owner@example.org"] == (200, 200, True)
    assert results["admin@example.org"] == (200, 200, True)
    assert results["manager@example.org"] == (200, 403, False)  # manages the event, not the programme
    assert results["other@example.org"] == (403, 403, False)
    assert unknown == 404
    assert anonymous.status_code == 302
    assert anonymous.headers["Location"].startswith("/login?next=")


def test_statistics_pages_run_the_same_number_of_queries_for_10_and_200_registrations(
    app, client, create_account, log_in, create_event, create_programme, count_queries
):
    owner = create_account("owner@example.org")
    log_in(client, "owner@example.org")
    kinds, countries = list(OrganisationType), ["NO", "SE", "DK", "FI", "IS", "DE", "EE"]
    counts = {}
    for size in (10, 200):
        programme = create_programme(created_by_id=owner.id)
        events = [create_event(created_by_id=owner.id, programme=programme, capacity=size // 2) for _ in range(2)]
        with app.app_context():
            for i in range(size):
                rid = services.register(
                    events[i % 2].id,
                    data(f"p{size}-{i}@example.org", organisation_type=kinds[i % 6], country=countries[i % 7]),
                    now=utcnow() - timedelta(days=i % 30, minutes=i),
                ).registration_id
                if i % 9 == 0:
                    services.cancel_registration(rid)
        for url in (f"/manage/events/{events[0].id}/statistics", f"/manage/programmes/{programme.id}/statistics"):
            with count_queries() as counter:
                response = client.get(url)
            assert response.status_code == 200
            counts[(url.split("/")[2], size)] = counter.count
        assert f"Sign-ups in all {size:,}" in text_of(response.get_data(as_text=True))

    assert counts[("events", 10)] == counts[("events", 200)], counts
    assert counts[("programmes", 10)] == counts[("programmes", 200)], counts
    assert counts[("events", 200)] <= 9, counts
    assert counts[("programmes", 200)] <= 10, counts
