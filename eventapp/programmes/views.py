"""Public programme pages."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale

from eventapp.events.queries import first_to_end, next_event_per_programme, programme_events
from eventapp.pagecache.store import cached_page, valid_until
from eventapp.programmes.contacts import by_country, vcard, visitor_country
from eventapp.programmes.queries import page_parts, programme_by_slug, programme_for_page, programmes_by_group

bp = Blueprint("programmes", __name__)

#: The programme page lists this many past events, newest first; the catalogue filtered to the programme
#: has them all (a page of 200 event cards took 0.6 s to render; their materials stay listed in full).
PAST_SHOWN = 20


@bp.get("/programmes")
@cached_page
def index():
    """Every programme under its group, each with its next event."""
    locale = str(get_locale())
    next_events = next_event_per_programme(locale=locale)
    valid_until(first_to_end(list(next_events.values())))
    return render_template("programmes/index.html", groups=programmes_by_group(locale), next_events=next_events)


@bp.get("/programmes/<slug>")
@cached_page
def detail(slug: str):
    locale = str(get_locale())
    programme = programme_for_page(slug, locale)
    if programme is None:
        abort(404)
    upcoming, past = programme_events(programme, locale=locale)
    valid_until(first_to_end(upcoming))
    contact_groups = by_country(programme.contacts, first=visitor_country(locale))
    return render_template(
        "programmes/detail.html",
        programme=programme,
        upcoming=upcoming,
        past=past[:PAST_SHOWN],
        more_past=len(past) > PAST_SHOWN,
        contact_groups=contact_groups,
        **page_parts(programme, past),
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
