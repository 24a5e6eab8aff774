"""Public programme pages: each programme with its events (they stand here, above both, as the events
package reads programmes and not the other way round)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale

from eventapp.events import signals
from eventapp.events.queries import first_to_end, next_event_per_programme, programme_events
from eventapp.pagecache.store import cached_page, valid_until
from eventapp.programmes.contacts import by_country, vcard, visitor_country
from eventapp.programmes.models import Programme
from eventapp.programmes.queries import programme_by_slug, programmes_by_group

bp = Blueprint("programmes", __name__)


def _sections(programme: Programme | None) -> dict[str, object]:
    """What the layers above show on a programme page or the list of programmes (calls: the open calls and
    the accepted organisations; ``signals.programme_page``): ``sections``, the templates they draw with, in
    order, and the values those templates read."""
    context: dict[str, object] = {}
    sections: list[str] = []
    for _receiver, (template, part) in signals.programme_page.send(programme):
        sections.append(template)
        context.update(part)
    return {**context, "sections": sections}


@bp.get("/programmes")
@cached_page
def index():
    """Every programme under its group, each with its next event."""
    next_events = next_event_per_programme(locale=str(get_locale()))
    valid_until(first_to_end(list(next_events.values())))
    return render_template(
        "programmes/index.html", groups=programmes_by_group(), next_events=next_events, **_sections(None)
    )


@bp.get("/programmes/<slug>")
@cached_page
def detail(slug: str):
    programme = programme_by_slug(slug)
    if programme is None:
        abort(404)
    locale = str(get_locale())
    upcoming, past = programme_events(programme, locale=locale)
    valid_until(first_to_end(upcoming))
    contact_groups = by_country(programme.contacts, first=visitor_country(locale))
    return render_template(
        "programmes/detail.html",
        programme=programme,
        upcoming=upcoming,
        past=past,
        contact_groups=contact_groups,
        **_sections(programme),
    )


@bp.get("/programmes/<slug>/contacts/<int:contact_id>.vcf")
def contact_vcard(slug: str, contact_id: int):
    """A contact person as a vCard, for "add to contacts" on a phone or in Outlook."""
    programme = programme_by_slug(slug)
    contact = next((c for c in programme.contacts if c.id == contact_id), None) if programme else None
    if programme is None or contact is None:
        abort(404)
    filename = "".join(c if c.isascii() and c.isalnum() else "-" for c in contact.name).strip("-") or "contact"
    response = Response(vcard(contact, programme_title=programme.title), mimetype="text/vcard")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.vcf"'
    return response
