"""Public programme pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import get_locale

from eventapp.events.queries import first_to_end, next_event_per_programme, programme_events
from eventapp.pagecache.store import cached_page, valid_until
from eventapp.programmes.queries import programme_by_slug, programmes_by_group

bp = Blueprint("programmes", __name__)


@bp.get("/programmes")
@cached_page
def index():
    """Every programme under its group, each with its next event."""
    next_events = next_event_per_programme(locale=str(get_locale()))
    valid_until(first_to_end(list(next_events.values())))
    return render_template("programmes/index.html", groups=programmes_by_group(), next_events=next_events)


@bp.get("/programmes/<slug>")
@cached_page
def detail(slug: str):
    programme = programme_by_slug(slug)
    if programme is None:
        abort(404)
    upcoming, past = programme_events(programme, locale=str(get_locale()))
    valid_until(first_to_end(upcoming))
    return render_template("programmes/detail.html", programme=programme, upcoming=upcoming, past=past)
