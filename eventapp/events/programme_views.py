"""Public programme pages: each programme with its events (they stand here, above both, as the events
package reads programmes and not the other way round)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template
from flask_babel import get_locale

from eventapp.events import signals
from eventapp.events.models import Event
from eventapp.events.queries import first_to_end, next_event_per_programme, programme_events
from eventapp.pagecache.store import cached_page, valid_until
from eventapp.programmes.contacts import by_country, vcard, visitor_country
from eventapp.programmes.enums import PartnerKind, PersonGroup
from eventapp.programmes.models import Programme
from eventapp.programmes.queries import programme_by_slug, programme_for_page, programmes_by_group

bp = Blueprint("programmes", __name__)

#: The programme page lists this many past events, newest first; the catalogue filtered to the programme
#: has them all (a page of 200 event cards took 0.6 s to render; their materials stay listed in full).
PAST_SHOWN = 20


def _page_parts(programme: Programme, past: list[Event]) -> dict[str, Any]:
    """Who is behind the programme and what its past events left: its people by group (``PersonGroup``
    order, empty groups left out), its partners and funders (loaded with it), and what the layers above
    add through ``signals.programme_page`` (materials: ``past_materials``, one query)."""
    people = [(g, members) for g in PersonGroup if (members := [p for p in programme.people if p.group == g])]
    parts: dict[str, Any] = {
        "people_groups": people,
        "partners": [p for p in programme.partners if p.kind is PartnerKind.PARTNER],
        "funders": [p for p in programme.partners if p.kind is PartnerKind.FUNDER],
        "past_materials": [],
    }
    for _, part in signals.programme_page.send(programme, past=past):
        parts.update(part)
    return parts


def _sections(programme: Programme | None) -> dict[str, object]:
    """What the layers above show on a programme page or the list of programmes (calls: the open calls and
    the accepted organisations; ``signals.programme_sections``): ``sections``, the templates they draw with, in
    order, and the values those templates read."""
    context: dict[str, object] = {}
    sections: list[str] = []
    for _receiver, (template, part) in signals.programme_sections.send(programme):
        sections.append(template)
        context.update(part)
    return {**context, "sections": sections}


@bp.get("/programmes")
@cached_page
def index():
    """Every programme under its group, each with its next event."""
    locale = str(get_locale())
    next_events = next_event_per_programme(locale=locale)
    valid_until(first_to_end(list(next_events.values())))
    return render_template(
        "programmes/index.html", groups=programmes_by_group(locale), next_events=next_events, **_sections(None)
    )


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
        **_page_parts(programme, past),
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
