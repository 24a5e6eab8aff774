"""Public event pages: the catalogue and one event."""

from __future__ import annotations

from flask import Blueprint, abort, g, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from eventapp.events import queries
from eventapp.events.forms import CatalogueFilterForm
from eventapp.materials import queries as material_queries
from eventapp.pagecache.store import cached_page, valid_until
from eventapp.programmes.queries import all_programmes
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.queries import SeatCounts

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


def _seat_counts(slug: str) -> SeatCounts:
    """The event page shows seats left: part of its cache key, and kept for the view (one query)."""
    g.seat_counts = registration_queries.seat_counts_for_slug(slug)
    return g.seat_counts


@bp.get("/events/<slug>")
@cached_page(key_extra=_seat_counts)
def detail(slug: str):
    event = queries.public_event(slug, str(get_locale()))
    if event is None:
        abort(404)
    counts = g.get("seat_counts") or registration_queries.seat_counts(event.id)
    situation = registration_queries.situation(event, counts)
    valid_until(situation.changes_at)  # registration opens or closes, the event starts or ends
    materials = material_queries.public_section(event)  # None until the materials are published
    return render_template("events/detail.html", event=event, situation=situation, materials=materials)
