"""A programme with 200 events, 20 contact persons, 20 partners, 20 people and published materials costs its
page, /programmes and its events' pages the same number of queries as a programme with one of each."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from eventapp.db import utcnow
from eventapp.events.enums import EventFormat, EventKind, EventStatus
from eventapp.events.models import Event, EventTranslation
from eventapp.extensions import db
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.models import Material
from eventapp.programmes.enums import PartnerKind, PersonGroup
from eventapp.programmes.models import (
    ContactPerson,
    Programme,
    ProgrammePartner,
    ProgrammePerson,
    ProgrammeTranslation,
)

COUNTRIES = ("NO", "SE", "DK", "FI", "IS")


def build(app, slug: str, n: int, *, events: int | None = None) -> dict[str, object]:
    """A programme with ``n`` contacts, partners and people, ``events`` events (default ``n``; half of them
    past, each past one with two published public materials), translated into Swedish, under a parent."""
    events = n if events is None else events
    now = utcnow()
    with app.app_context():
        parent = Programme(slug=f"{slug}-parent", title=f"Parent of {slug}", language="nb")
        programme = Programme(slug=slug, title=f"Programme {slug}", language="nb", summary="Sammendrag",
                              description_md="Om **programmet**", goals_md="- Mål", target_groups_md="- Kommuner",
                              parent=parent)  # fmt: skip
        programme.translations = [ProgrammeTranslation(locale="sv", title=f"Programmet {slug}", goals_md="- Mål")]
        parent.translations = [ProgrammeTranslation(locale="sv", title=f"Förälder till {slug}")]
        db.session.add_all([parent, programme])
        db.session.flush()
        for i in range(n):
            db.session.add_all([
                ContactPerson(programme_id=programme.id, country=COUNTRIES[i % 5], name=f"Contact {i}",
                              email=f"c{i}@example.org", position=i),
                ProgrammePartner(programme_id=programme.id, kind=list(PartnerKind)[i % 2], name=f"Partner {i}",
                                 url=f"https://p{i}.example.org", position=i),
                ProgrammePerson(programme_id=programme.id, group=list(PersonGroup)[i % 3], name=f"Person {i}",
                                role="Member", organisation=f"Org {i}", position=i),
                Programme(slug=f"{slug}-child-{i}", title=f"Child {i}", language="nb", parent_id=programme.id),
            ])  # fmt: skip
        event_slugs = []
        for i in range(events):
            starts = now + timedelta(days=(i - events // 2) * 3 + 1)
            event = Event(slug=f"{slug}-event-{i}", title=f"Event {i}", summary="S", description_md="D",
                          kind=EventKind.WEBINAR, format=EventFormat.ONLINE, timezone="Europe/Oslo",
                          starts_at=starts, ends_at=starts + timedelta(hours=2), language="nb",
                          status=EventStatus.PUBLISHED, programme_id=programme.id,
                          materials_published_at=now if starts < now else None)  # fmt: skip
            event.translations = [EventTranslation(locale="sv", title=f"Evenemang {i}")]
            db.session.add(event)
            db.session.flush()
            event_slugs.append(event.slug)
            if starts < now:
                for j, kind in enumerate((MaterialKind.LINK, MaterialKind.RECORDING)):
                    db.session.add(Material(event_id=event.id, kind=kind, title=f"Material {i}.{j}",
                                            url=f"https://m{i}.example.org/{j}", published=True,
                                            visibility=Visibility.PUBLIC, position=j))  # fmt: skip
        db.session.commit()
        first_contacts = db.session.scalars(
            db.select(ContactPerson).where(ContactPerson.programme_id == programme.id).limit(3)
        ).all()
        upcoming = db.session.scalars(db.select(Event).where(Event.slug == event_slugs[-1])).one()
        upcoming.chosen_contacts = list(first_contacts)
        db.session.commit()
        return {"slug": slug, "event": event_slugs[-1]}


@pytest.mark.slow
def test_programme_page_index_and_event_pages_take_a_fixed_number_of_queries(app, client, count_queries):
    counts, statements = {}, {}
    for scene in (build(app, "small", 1, events=2), "large"):
        if scene == "large":  # built after the small one was measured (/programmes lists both)
            scene = build(app, "large", 20, events=200)
        for name, url in (("programme", f"/programmes/{scene['slug']}?lang=sv"), ("index", "/programmes?lang=sv"),
                          ("event", f"/events/{scene['event']}?lang=sv"),
                          ("sign-up", f"/events/{scene['event']}/register?lang=sv")):  # fmt: skip
            client.get("/?lang=sv")
            with count_queries() as counter:
                response = client.get(url)
            assert response.status_code == 200, url
            counts[(scene["slug"], name)] = counter.count
            statements[(scene["slug"], name)] = counter.statements
            if scene["slug"] == "large" and name == "programme":
                html = response.get_data(as_text=True)
                assert html.count('<article class="event-card') == 100 + 20  # upcoming, the newest past
                assert 'href="/?programme=large">Alla tidigare evenemang i programmet</a>' in html
                assert len(re.findall(r"Material \d+\.\d", html)) == 2 * 100  # every past event's
                assert "Programmet large" in html
                assert "Partner 19" in html
                assert "Person 19" in html
                assert "Contact 19" in html
    for name in ("programme", "index", "event", "sign-up"):
        assert counts[("small", name)] == counts[("large", name)], (name, counts, statements)
    # content version, programme with its translation and parent, children, contacts, partners, people,
    # events, materials
    assert counts[("large", "programme")] == 10
    assert counts[("large", "index")] == 4  # content version, programmes with parents, next events, open calls
    assert counts[("large", "event")] <= 5  # PERFORMANCE.md: at most 5, whatever the size
