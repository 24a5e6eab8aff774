"""Public event pages: the catalogue and one event."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from eventapp.events import queries, signals
from eventapp.events.forms import CatalogueFilterForm
from eventapp.pagecache.store import cached_page, valid_until
from eventapp.programmes.queries import all_programmes
from eventapp.transactions import reads_only

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


def _page_key(slug: str) -> tuple[object, ...]:
    """What the layers above show on the event page that is not public content and is not filled in per
    answer: part of its cache key (``signals.event_page_key``; the seats left are filled in, ``_filled_part``)."""
    return tuple(value for _receiver, value in signals.event_page_key.send(slug))


def _filled_part(context: object) -> str:
    """The part of the event page made for every answer (registrations: the registration box with the
    seats as they are now), from what a receiver of ``signals.event_page`` marked with ``fill_here``."""
    return "".join(part for _receiver, part in signals.event_page_fill.send(context))


@bp.get("/events/<slug>")
@reads_only  # no BEGIN and ROLLBACK: the page's statements each stand on their own
@cached_page(key_extra=_page_key, fill=_filled_part)
def detail(slug: str):
    event = queries.public_event(slug, str(get_locale()))
    if event is None:
        abort(404)
    context: dict[str, object] = {}
    for _receiver, part in signals.event_page.send(event):  # registrations: the box's place; materials: the materials
        context.update(part)
    return render_template("events/detail.html", event=event, **context)
