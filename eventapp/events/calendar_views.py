"""Calendar files: one event (/events/<slug>.ics), the catalogue feed (/calendar.ics) and a programme's
feed (/programmes/<slug>.ics), all ``text/calendar; charset=utf-8``.

The documents come from ``calendar.ics`` (pure); these views load, check and build the absolute links.
Responses go through the page cache, which keeps the bytes per process until the content changes and
answers conditional GETs (ETag, Last-Modified) with 304.

Files are sent ``Content-Disposition: inline`` with a file name: a browser then hands the file to the
calendar app registered for text/calendar (Safari and iOS open "Add to calendar" straight away; others
save it under that name, and opening it imports it), where ``attachment`` would force a save first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask import Blueprint, Response, abort, current_app, request, url_for
from flask_babel import gettext as _

from eventapp.calendar import ics
from eventapp.calendar.labels import labels_for_event
from eventapp.calendar.people import organizer_for
from eventapp.events import queries
from eventapp.events.forms import CatalogueFilterForm
from eventapp.pagecache.store import cached_page
from eventapp.programmes.queries import all_programmes, programme_by_slug

if TYPE_CHECKING:
    from eventapp.events.models import Event
    from eventapp.events.queries import CatalogueFilter

bp = Blueprint("calendar", __name__)

#: Werkzeug adds "; charset=utf-8" to text/* types: the header reads "text/calendar; charset=utf-8".
MIMETYPE = "text/calendar"


@bp.get("/events/<slug>.ics")
@cached_page
def event_file(slug: str):
    event = queries.public_event_for_calendar(slug)
    if event is None:
        abort(404)
    body = ics.event_calendar(
        event,
        method=ics.Method.PUBLISH,
        event_url=event_url(event),
        organizer=organizer_for(event),
        labels=labels_for_event(event),
        now=event.updated_at,  # DTSTAMP: the same bytes (and ETag) from every worker until the event changes
    )
    return _calendar_file(body, f"{event.slug}.ics")


@bp.get("/calendar.ics")
@cached_page
def catalogue_feed():
    programmes = all_programmes()
    form = CatalogueFilterForm(request.args, programmes)
    if not form.validate():
        messages = [str(message) for field in (form.q, form.kind, form.programme) for message in field.errors]
        return Response("\n".join(messages) + "\n", status=400, mimetype="text/plain")
    filter_ = form.to_filter()
    events = queries.feed_events(filter_)
    body = ics.feed_calendar(
        events,
        name=_catalogue_feed_name(filter_, {p.slug: p.title for p in programmes}),
        description=_("Webinars, workshops, dialogue meetings and conferences on innovation in public procurement."),
        event_url=event_url,
        organizer_for=organizer_for,
        labels_for=labels_for_event,
        now=_stamp(events),
    )
    return _calendar_file(body, "calendar.ics")


@bp.get("/programmes/<slug>.ics")
@cached_page
def programme_feed(slug: str):
    programme = programme_by_slug(slug)
    if programme is None:
        abort(404)
    events = queries.feed_events(queries.CatalogueFilter(programme=programme.slug))
    body = ics.feed_calendar(
        events,
        name=programme.title,
        description=programme.summary,
        event_url=event_url,
        organizer_for=organizer_for,
        labels_for=labels_for_event,
        now=_stamp(events),
    )
    return _calendar_file(body, f"{programme.slug}.ics")


def _stamp(events: list[Event]) -> datetime | None:
    """DTSTAMP of a feed: when its newest event last changed. Every worker then writes the same bytes,
    so a calendar client's ETag holds whichever worker answers (a stamp of "now" changed every second)."""
    return max((e.updated_at for e in events if e.updated_at is not None), default=None)


def event_url(event: Event) -> str:
    """The absolute address of the event's page, on ``EVENTAPP_BASE_URL`` (not the request's host)."""
    return _absolute(url_for("events.detail", slug=event.slug))


@dataclass(frozen=True)
class FeedLinks:
    """Where to get a calendar feed: ``subscribe`` (webcal://, opens the calendar app's subscription)
    and ``download`` (http(s)://, to download or to paste into a web calendar)."""

    subscribe: str
    download: str


@bp.app_template_global()
def calendar_feed_links(endpoint: str, **values: Any) -> FeedLinks:
    """Absolute links to a feed; empty values (filters not in use) are left out of the query string."""
    download = _absolute(url_for(endpoint, **{k: v for k, v in values.items() if v}))
    return FeedLinks(subscribe="webcal://" + download.split("://", 1)[1], download=download)


def _absolute(path: str) -> str:
    return current_app.config["EVENTAPP_BASE_URL"].rstrip("/") + path


def _calendar_file(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype=MIMETYPE)
    response.headers.set("Content-Disposition", "inline", filename=filename)
    return response


def _catalogue_feed_name(filter_: CatalogueFilter, programme_titles: dict[str, str]) -> str:
    """The site's name, followed by the filters in use: "eventapp – Webinar – “procurement”"."""
    parts = [current_app.config["EVENTAPP_SITE_NAME"]]
    if filter_.kind is not None:
        parts.append(filter_.kind.label)
    if filter_.programme:
        parts.append(programme_titles.get(filter_.programme, filter_.programme))
    if filter_.q:
        parts.append(f"“{filter_.q}”")
    return " – ".join(parts)
