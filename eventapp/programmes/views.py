"""Public programme pages."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from eventapp.events.queries import programme_events
from eventapp.programmes.queries import programme_by_slug

bp = Blueprint("programmes", __name__)


@bp.get("/programmes/<slug>")
def detail(slug: str):
    programme = programme_by_slug(slug)
    if programme is None:
        abort(404)
    upcoming, past = programme_events(programme)
    return render_template("programmes/detail.html", programme=programme, upcoming=upcoming, past=past)
