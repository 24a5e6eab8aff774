"""The mails about a person's registration: one builder per reason, each rendered from
``templates/mail/`` in the person's language, with absolute links and, where it fits, the calendar
invitation; it returns a ``RenderedMail`` ready for ``enqueue``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.calendar.ics import Method, Person, event_calendar, registration_uid
from eventapp.calendar.labels import labels_in
from eventapp.calendar.people import organizer_for
from eventapp.events.models import Event
from eventapp.formatting import clock, long_date, zone_name
from eventapp.mail.enums import CalendarMethod, MailReason
from eventapp.mail.messages import compose, render
from eventapp.mail.services import RenderedMail
from eventapp.registrations.queries import waitlist_position
from eventapp.urls import absolute_url

if TYPE_CHECKING:
    from eventapp.registrations.models import Registration


def invitation(
    event: Event,
    *,
    person: Person,
    method: CalendarMethod,
    locale: str,
    include_join_url: bool,
    manage_url: str | None = None,
    note: str = "",
) -> RenderedMail:
    """A calendar invitation (REQUEST: you are coming / the event changed) or its withdrawal (CANCEL) to
    someone who is not a registration, under the event's UID and SEQUENCE (a registration's own mail
    is ``registration_mail``, under the registration's UID).

    ``include_join_url`` only for a confirmed attendee of an event with an online part. For CANCEL the
    caller has already raised ``event.calendar_sequence`` (iTIP needs a higher SEQUENCE). ``note`` is an
    organiser's message added to the text (for example why an event was cancelled).
    """
    if method is CalendarMethod.PUBLISH:
        raise ValueError("an invitation is a REQUEST or a CANCEL")
    event_url = absolute_url("events.detail", slug=event.slug)
    calendar = event_calendar(
        event,
        method=Method(method.value),
        event_url=event_url,
        organizer=organizer_for(event),
        attendee=person,
        include_join_url=include_join_url,
        labels=labels_in(locale),
    )
    join_url = event.online_url if include_join_url and event.has_online_part else ""
    context = {
        "event": event,
        "person": person,
        "cancelled": method is CalendarMethod.CANCEL,
        "event_url": event_url,
        "join_url": join_url,
        "manage_url": manage_url,
        "note": note,
    }
    text, html = render("invitation", locale=locale, **context)
    with force_locale(locale):
        if method is CalendarMethod.CANCEL:
            subject = _("Cancelled: %(title)s", title=event.title)
        else:
            subject = _("Invitation: %(title)s", title=event.title)
    return compose(
        "invitation" if method is CalendarMethod.REQUEST else "invitation_cancelled",
        person,
        locale=locale,
        subject=subject,
        text=text,
        html=html,
        calendar=calendar,
        method=method,
    )


def _subject_and_intro(reason: MailReason, registration: Registration, position: int | None) -> tuple[str, str]:
    title = registration.event.title
    deadline = ""
    if registration.offer_expires_at is not None:
        local = registration.offer_expires_at.astimezone(registration.event.tzinfo)
        deadline = f"{long_date(local)} {clock(local)} ({zone_name(local)})"
    texts = {
        MailReason.CONFIRMED: (_("You are registered: %(title)s", title=title),
                      _("Your place is confirmed. The calendar invitation is attached: open it to add the event "
                        "to your calendar.")),
        MailReason.APPROVED: (_("Your place is confirmed: %(title)s", title=title),
                     _("The organiser has approved your registration and your place is confirmed. The calendar "
                       "invitation is attached.")),
        MailReason.PROMOTED: (_("A seat opened up, and it is yours: %(title)s", title=title),
                     _("A seat became free and you were first on the waiting list: your place is now confirmed. "
                       "The calendar invitation is attached.")),
        MailReason.WAITLISTED: (_("You are on the waiting list: %(title)s", title=title),
                       _("The event is full, so you are on the waiting list, number %(position)s. If a seat frees "
                         "up you will hear from us at once.", position=position or "?")),
        MailReason.PENDING: (_("We have received your registration: %(title)s", title=title),
                    _("The organiser reviews every registration for this event. You will get an email when they "
                      "have decided.")),
        MailReason.REJECTED: (_("Your registration was not approved: %(title)s", title=title),
                     _("The organiser could not offer you a place at this event.")),
        MailReason.CANCELLED: (_("Registration cancelled: %(title)s", title=title),
                      _("Your registration has been cancelled. If you change your mind, you are welcome to sign up "
                        "again while registration is open.")),
        MailReason.LINK: (_("Your registration link: %(title)s", title=title),
                 _("Here is the link to your registration, as you asked. Earlier links still work.")),
        MailReason.ALREADY_REGISTERED: (_("You are already registered: %(title)s", title=title),
                               _("Someone, probably you, just tried to sign up for this event again with this "
                                 "address. You are already registered: here is the link to your registration. "
                                 "Earlier links still work. If it was not you, you need not do anything.")),
        MailReason.OFFER: (_("A seat is free for you: %(title)s", title=title),
                  _("A seat has become free and it is offered to you first. Accept it before %(deadline)s, or it "
                    "goes to the next person waiting.", deadline=deadline)),
        MailReason.OFFER_EXPIRED: (_("The seat offer has lapsed: %(title)s", title=title),
                          _("The seat we offered you was not accepted in time and has gone to the next person. "
                            "You are no longer on the waiting list.")),
        MailReason.UPDATED: (_("Changed: %(title)s", title=title),
                    _("The event has changed. The details below are the new ones, and the attached invitation "
                      "updates the entry in your calendar.")),
        MailReason.ATTENDANCE_CHANGED: (
            _("You now take part on site: %(title)s", title=title) if registration.attends_in_person
            else _("You now take part online: %(title)s", title=title),
            _("Your place is now on site. Your seat is confirmed, and the attached invitation updates the entry "
              "in your calendar with the venue.") if registration.attends_in_person
            else _("Your place is now online. Your place is confirmed, and the attached invitation updates the "
                   "entry in your calendar with the join link.")),
        MailReason.EVENT_CANCELLED: (_("Cancelled: %(title)s", title=title),
                            _("We are sorry: the event has been cancelled. If it was in your calendar, the "
                              "attached cancellation removes it.")),
        MailReason.REMINDER_DAY: (_("Tomorrow: %(title)s", title=title),
                         _("A reminder: the event is tomorrow. We look forward to seeing you.")),
        MailReason.REMINDER_HOUR: (_("Starting in an hour: %(title)s", title=title),
                          _("A reminder: the event starts in about an hour.")),
    }  # fmt: skip
    return texts[reason]


#: Reasons whose mail carries the event as a METHOD:REQUEST invitation.
INVITING_REASONS = frozenset(
    {MailReason.CONFIRMED, MailReason.APPROVED, MailReason.PROMOTED, MailReason.UPDATED, MailReason.ATTENDANCE_CHANGED}
)


def calendar_method_for(reason: MailReason, *, withdraw_calendar: bool = False) -> CalendarMethod | None:
    """The iTIP method of the invitation a registration mail for ``reason`` carries, if any."""
    if reason in INVITING_REASONS:
        return CalendarMethod.REQUEST
    return CalendarMethod.CANCEL if withdraw_calendar else None


def registration_mail(
    registration: Registration,
    reason: MailReason,
    *,
    token: str,
    now: datetime,
    note: str = "",
    withdraw_calendar: bool = False,
    sequence: int | None = None,
) -> RenderedMail:
    """A mail about one person's registration, in their language, with their personal link.

    ``reason`` is what happened (confirmed, waitlisted, pending, approved, promoted, rejected, cancelled,
    link, already_registered, offer, offer_expired, reminder_day, reminder_hour). Confirmations carry a METHOD:REQUEST
    invitation (with the join link for confirmed online attendees; at a hybrid event, the venue and no link
    for someone on site, the link and not the venue for someone online); with ``withdraw_calendar`` a
    cancellation or rejection carries METHOD:CANCEL, so the entry leaves the person's calendar. Both
    carry the registration's UID and ``invitation_sequence``: the caller (``mail_registration``) has
    raised the registration's counter for every invitation after the first. ``sequence``: the SEQUENCE
    counted when the mail was caused (a draft rendered later, ``registrations.drafts``), else the current.
    """
    event = registration.event
    person = Person(name=registration.name, email=registration.email)
    manage_url = absolute_url("registrations.manage", token=token)
    event_url = absolute_url("events.detail", slug=event.slug)
    method = calendar_method_for(reason, withdraw_calendar=withdraw_calendar)
    calendar = None
    if method is not None:
        calendar = event_calendar(
            event,
            method=Method(method.value),
            event_url=event_url,
            organizer=organizer_for(event),
            attendee=person,
            include_join_url=method is CalendarMethod.REQUEST and registration.sees_join_link,
            uid=registration_uid(registration),
            sequence=registration.invitation_sequence if sequence is None else sequence,
            now=now,
            labels=labels_in(registration.locale),
            online_only=registration.event.is_hybrid and not registration.attends_in_person,
        )
    position = waitlist_position(registration) if reason is MailReason.WAITLISTED else None
    locale = registration.locale
    with force_locale(locale):
        subject, intro = _subject_and_intro(reason, registration, position)
        show_join = registration.sees_join_link and reason in INVITING_REASONS | {
            MailReason.REMINDER_HOUR,
            MailReason.LINK,
        }
        text, html = render(
            "registration",
            locale=locale,
            event=event,
            registration=registration,
            reason=reason,
            intro=intro,
            note=note,
            event_url=event_url,
            manage_url=manage_url,
            join_url=event.online_url if show_join else "",
            has_calendar=calendar is not None,
        )
    return compose(
        f"registration_{reason}",
        registration,
        locale=locale,
        subject=subject,
        text=text,
        html=html,
        calendar=calendar,
        method=method,
    )
