"""Public event pages: the catalogue and one event."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from eventapp.events import queries
from eventapp.events.enums import EventStatus
from eventapp.events.forms import CatalogueFilterForm
from eventapp.events.models import Event
from eventapp.pagecache.store import cached_page, fill_here, valid_until
from eventapp.programmes.queries import all_programmes
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.queries import SeatCounts
from eventapp.speakers import material_queries

bp = Blueprint("events", __name__)

PAST_PER_PAGE = 20
MAX_PAGE = 10_000


def _page_number(raw: str | None) -> tuple[int, str | None]:
    if raw is None or raw == "":
        return 1, None
    if raw.isdigit() and 1 <= int(raw) <= MAX_PAGE:
        return int(raw), None
    return 1, str(_l("There is no page “%(value)s” of past events; showing the first.", value=raw[:20]))


@bp.get("/")
@cached_page
def index():
    form = CatalogueFilterForm(request.args, all_programmes())
    valid = form.validate()
    page_number, page_error = _page_number(request.args.get("page"))
    filter_ = form.to_filter()
    locale = str(get_locale())
    upcoming = queries.upcoming_events(filter_, locale=locale) if page_number == 1 else []
    past = queries.past_events(filter_, page=page_number, per_page=PAST_PER_PAGE, locale=locale)
    valid_until(queries.first_to_end(upcoming))  # then it moves from "upcoming" to "past"
    body = render_template(
        "events/index.html", form=form, filter=filter_, upcoming=upcoming, past=past, page_error=page_error
    )
    return body, (200 if valid and not page_error else 400)


@dataclass(frozen=True)
class _RegistrationFacts:
    """What the registration box needs of an event besides its seats: plain values, kept with the
    cached page (the event's content version holds them true)."""

    id: int
    slug: str
    status: EventStatus
    capacity: int | None
    waitlist_enabled: bool
    requires_approval: bool
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    starts_at: datetime
    ends_at: datetime
    tzinfo: ZoneInfo

    @classmethod
    def of(cls, event: Event) -> _RegistrationFacts:
        return cls(**{f.name: getattr(event, f.name) for f in fields(cls)})


def _registration_box(facts: _RegistrationFacts) -> str:
    """The event page's registration box with the seats as they are now: one query, for every answer
    (the rest of the page comes from the page cache even while people sign up)."""
    situation = registration_queries.situation(facts, registration_queries.seat_counts(facts.id))  # type: ignore[arg-type]
    return render_template("events/_registration_box.html", event=facts, situation=situation)


@bp.get("/events/<slug>")
@cached_page(fill=_registration_box)
def detail(slug: str):
    event = queries.public_event(slug, str(get_locale()))
    if event is None:
        abort(404)
    # The state changes by itself when registration opens or closes, or the event starts or ends; the
    # seats do not matter for that moment (and are filled in per request).
    valid_until(registration_queries.situation(event, SeatCounts()).changes_at)
    materials = material_queries.public_section(event)  # None until the materials are published
    box = Markup(fill_here(_RegistrationFacts.of(event)))  # noqa: S704 - our own constant comment mark
    return render_template("events/detail.html", event=event, registration_box=box, materials=materials)
