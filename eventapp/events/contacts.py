"""An event's contact persons: those of its programme it names itself, or all of its programme's; shown on
its page and sign-up form with the visitor's country first (the country chosen in the form, else the one
of the page's language)."""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventapp.accounts import audit
from eventapp.accounts.models import User
from eventapp.errors import NotFound, ValidationFailed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.pagecache.versions import bump
from eventapp.programmes.contacts import by_country, visitor_country
from eventapp.programmes.models import ContactPerson
from eventapp.transactions import use_case


def contacts_of_event(event: Event) -> list[ContactPerson]:
    """The contact persons an event shows: those it names itself (of its programme), else every contact
    person of its programme (none without a programme). Reads ``event.chosen_contacts`` and the
    programme's contacts as loaded."""
    programme = event.programme
    if programme is None:
        return []
    chosen = [c for c in event.chosen_contacts if c.programme_id == programme.id]
    return chosen or list(programme.contacts)


def contacts_by_country(event: Event, chosen: str | None = None) -> list[tuple[str, list[ContactPerson]]]:
    """Template global: the event's contacts for its page or sign-up form, the visitor's country (chosen in
    the form, else from the page's language) first."""
    return by_country(contacts_of_event(event), first=visitor_country(str(get_locale() or ""), chosen))


@use_case
def choose_event_contacts(event_id: int, contact_ids: Collection[int], *, actor: User) -> list[ContactPerson]:
    """The contact persons the event names itself, from those of its programme; none chosen: it shows every
    contact person of its programme (and follows that list as it changes). Raises NotFound, and
    ValidationFailed("contacts") for an id that is not one of its programme's contact persons. Side effects:
    the event's rows in event_contacts, the content version, an audit entry."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound()
    wanted = set(contact_ids)
    contacts: list[ContactPerson] = []
    if wanted:
        stmt = select(ContactPerson).where(
            ContactPerson.id.in_(wanted), ContactPerson.programme_id == event.programme_id
        )
        contacts = list(db.session.scalars(stmt.order_by(ContactPerson.position, ContactPerson.id)))
        if len(contacts) != len(wanted):
            raise ValidationFailed("contacts", _l("Choose contact persons from the list."))
    event.chosen_contacts = contacts
    bump(db.session())  # the event and sign-up pages show them
    audit.record("event.contacts_chosen", actor=actor, event_id=event.id, contact_ids=sorted(wanted),
                 count=len(contacts), names=", ".join(c.name for c in contacts))  # fmt: skip
    db.session.commit()
    return contacts
