"""Who a calendar names as its ORGANIZER (RFC 5546 requires one in PUBLISH, REQUEST and CANCEL alike).

The order is the event's own contact, then its programme's, then the site's sender. Events and
programmes have no contact address yet (a contact-person model is planned separately), so today every
calendar names the site's sender: ``MAIL_DEFAULT_SENDER``, with its display name or the site's name.
That address sends the invitations, and nothing reads mail to it, which is why invitations ask for no
reply (``calendar/ics.py``). Needs an app context.
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import current_app

from eventapp.calendar.ics import CalendarEvent, Person


def site_organizer() -> Person:
    """The site's sender as a calendar person."""
    name, address = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])
    return Person(name=name or current_app.config["EVENTAPP_SITE_NAME"], email=address)


def organizer_for(event: CalendarEvent) -> Person:
    """The ORGANIZER of ``event`` in every calendar: feeds, downloads and invitations alike."""
    return site_organizer()
