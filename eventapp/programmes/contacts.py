"""Contact persons of a programme, one or more per country: who a visitor should write to, and their vCard."""

from __future__ import annotations

from collections.abc import Iterable

import vobject

from eventapp.i18n import COUNTRY_OF_LANGUAGE
from eventapp.programmes.models import ContactPerson


def visitor_country(locale: str, chosen: str | None = None) -> str | None:
    """The visitor's country: the one chosen in a form, else the one their language suggests."""
    if chosen and len(chosen) == 2 and chosen.isalpha():
        return chosen.upper()
    return COUNTRY_OF_LANGUAGE.get(locale.split("_")[0])


def by_country(contacts: Iterable[ContactPerson], first: str | None = None) -> list[tuple[str, list[ContactPerson]]]:
    """Contacts grouped by country, in their order; the ``first`` country leads, the others keep their order."""
    groups: dict[str, list[ContactPerson]] = {}
    for contact in contacts:
        groups.setdefault(contact.country, []).append(contact)
    ordered = sorted(groups.items(), key=lambda item: item[0] != first)  # stable: only ``first`` moves
    return ordered


def vcard(contact: ContactPerson, *, programme_title: str) -> bytes:
    """The contact as a vCard 4.0 (RFC 6350), written by vobject (which escapes and folds)."""
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("fn").value = contact.name
    parts = contact.name.rsplit(" ", 1)
    card.add("n").value = vobject.vcard.Name(family=parts[-1], given=parts[0] if len(parts) > 1 else "")
    if contact.organisation:
        card.add("org").value = [contact.organisation]
    if contact.role:
        card.add("title").value = contact.role
    email = card.add("email")
    email.value = contact.email
    email.type_param = "work"
    if contact.phone:
        tel = card.add("tel")
        tel.value = contact.phone
        tel.type_param = "work"
    card.add("note").value = programme_title
    return card.serialize().encode("utf-8")
