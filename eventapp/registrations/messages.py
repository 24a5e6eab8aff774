"""The mails about a person's registration: one builder per reason, each rendered from
``templates/mail/`` in the person's language, with absolute links and, where it fits, the calendar
invitation; it returns a ``RenderedMail`` ready for ``enqueue``.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar, cast

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape

from eventapp.calendar.ics import Method, Person, event_calendar, prepare_event_calendar, registration_uid
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
    # Only the reason asked for is translated (a lambda each): the others cost some 30 look-ups a mail.
    texts: dict[MailReason, Callable[[], tuple[str, str]]] = {
        MailReason.CONFIRMED: lambda: (_("You are registered: %(title)s", title=title),
                      _("Your place is confirmed. The calendar invitation is attached: open it to add the event "
                        "to your calendar.")),
        MailReason.APPROVED: lambda: (_("Your place is confirmed: %(title)s", title=title),
                     _("The organiser has approved your registration and your place is confirmed. The calendar "
                       "invitation is attached.")),
        MailReason.PROMOTED: lambda: (_("A seat opened up, and it is yours: %(title)s", title=title),
                     _("A seat became free and you were first on the waiting list: your place is now confirmed. "
                       "The calendar invitation is attached.")),
        MailReason.WAITLISTED: lambda: (_("You are on the waiting list: %(title)s", title=title),
                       _("The event is full, so you are on the waiting list, number %(position)s. If a seat frees "
                         "up you will hear from us at once.", position=position or "?")),
        MailReason.PENDING: lambda: (_("We have received your registration: %(title)s", title=title),
                    _("The organiser reviews every registration for this event. You will get an email when they "
                      "have decided.")),
        MailReason.REJECTED: lambda: (_("Your registration was not approved: %(title)s", title=title),
                     _("The organiser could not offer you a place at this event.")),
        MailReason.CANCELLED: lambda: (_("Registration cancelled: %(title)s", title=title),
                      _("Your registration has been cancelled. If you change your mind, you are welcome to sign up "
                        "again while registration is open.")),
        MailReason.LINK: lambda: (_("Your registration link: %(title)s", title=title),
                 _("Here is the link to your registration, as you asked. Earlier links still work.")),
        MailReason.ALREADY_REGISTERED: lambda: (_("You are already registered: %(title)s", title=title),
                               _("Someone, probably you, just tried to sign up for this event again with this "
                                 "address. You are already registered: here is the link to your registration. "
                                 "Earlier links still work. If it was not you, you need not do anything.")),
        MailReason.OFFER: lambda: (_("A seat is free for you: %(title)s", title=title),
                  _("A seat has become free and it is offered to you first. Accept it before %(deadline)s, or it "
                    "goes to the next person waiting.", deadline=deadline)),
        MailReason.OFFER_EXPIRED: lambda: (_("The seat offer has lapsed: %(title)s", title=title),
                          _("The seat we offered you was not accepted in time and has gone to the next person. "
                            "You are no longer on the waiting list.")),
        MailReason.UPDATED: lambda: (_("Changed: %(title)s", title=title),
                    _("The event has changed. The details below are the new ones, and the attached invitation "
                      "updates the entry in your calendar.")),
        MailReason.ATTENDANCE_CHANGED: lambda: (
            _("You now take part on site: %(title)s", title=title) if registration.attends_in_person
            else _("You now take part online: %(title)s", title=title),
            _("Your place is now on site. Your seat is confirmed, and the attached invitation updates the entry "
              "in your calendar with the venue.") if registration.attends_in_person
            else _("Your place is now online. Your place is confirmed, and the attached invitation updates the "
                   "entry in your calendar with the join link.")),
        MailReason.EVENT_CANCELLED: lambda: (_("Cancelled: %(title)s", title=title),
                            _("We are sorry: the event has been cancelled. If it was in your calendar, the "
                              "attached cancellation removes it.")),
        MailReason.REMINDER_DAY: lambda: (_("Tomorrow: %(title)s", title=title),
                         _("A reminder: the event is tomorrow. We look forward to seeing you.")),
        MailReason.REMINDER_HOUR: lambda: (_("Starting in an hour: %(title)s", title=title),
                          _("A reminder: the event starts in about an hour.")),
    }  # fmt: skip
    return texts[reason]()


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
    memo: dict[tuple[object, ...], object] | None = None,
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

    ``memo``: a dict the caller keeps for a batch of mails rendered in one transaction (the worker's
    ``registrations.drafts``), in which the events, their languages and reasons are as they were for the
    first mail of the batch: what several mails share (the calendar without its personal lines, the
    subject and the bodies with the name and personal link left as marks) is rendered once per batch
    and filled in per person (``_shared_texts``). The mails are the same as without it.
    """
    event = registration.event
    person = Person(name=registration.name, email=registration.email)
    manage_url = absolute_url("registrations.manage", token=token)
    event_url = _memoized(memo, ("event_url", event.id), lambda: absolute_url("events.detail", slug=event.slug))
    method = calendar_method_for(reason, withdraw_calendar=withdraw_calendar)
    calendar = None
    locale = registration.locale
    if method is not None:
        include_join_url = method is CalendarMethod.REQUEST and registration.sees_join_link
        online_only = event.is_hybrid and not registration.attends_in_person
        prepared = _memoized(
            memo,
            ("calendar", event.id, method, include_join_url, online_only, locale),
            lambda: prepare_event_calendar(
                event,
                method=Method(method.value),
                event_url=event_url,
                organizer=organizer_for(event),
                include_join_url=include_join_url,
                labels=labels_in(locale),
                online_only=online_only,
            ),
        )
        calendar = prepared.document(
            attendee=person,
            uid=registration_uid(registration),
            sequence=registration.invitation_sequence if sequence is None else sequence,
            now=now,
        )
    position = waitlist_position(registration) if reason is MailReason.WAITLISTED else None
    show_join = registration.sees_join_link and reason in INVITING_REASONS | {MailReason.REMINDER_HOUR, MailReason.LINK}
    join_url = event.online_url if show_join else ""
    if memo is None:
        subject, text, html = _texts(
            registration, registration, reason, position=position, note=note, event_url=event_url,
            manage_url=manage_url, join_url=join_url, has_calendar=calendar is not None,
        )  # fmt: skip
    else:
        subject, text, html = _shared_texts(
            memo, registration, reason, position=position, note=note, event_url=event_url, join_url=join_url,
            has_calendar=calendar is not None,
        )  # fmt: skip
        # The link first: the name, anyone's to choose, is never searched for a mark.
        text = text.replace(_LINK_MARK, manage_url).replace(_NAME_MARK, registration.name)
        html = html.replace(_LINK_MARK, escape(manage_url)).replace(_NAME_MARK, escape(registration.name))
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


T = TypeVar("T")


def _memoized(memo: dict[tuple[object, ...], object] | None, key: tuple[object, ...], make: Callable[[], T]) -> T:
    if memo is None:
        return make()
    if key not in memo:
        memo[key] = make()
    return cast(T, memo[key])


#: Where the shared bodies hold the person's name and personal link until they are filled in: random per
#: process (nobody can put them in a title or a note), private-use characters and hex digits, which
#: neither HTML escaping nor the templates change.
_NAME_MARK = f"\ue000name-{secrets.token_hex(8)}\ue001"
_LINK_MARK = f"\ue000link-{secrets.token_hex(8)}\ue001"


class _SharedAttendee:
    """What the registration templates read of the person, for a body shared by everyone with the same
    values: the name as a mark, and how they take part. Reading anything else is an error (it would be
    shared between people it may differ for), not an empty value: add it here and to the memo's key."""

    __slots__ = ("attends_in_person", "attends_online", "name")

    def __init__(self, registration: Registration) -> None:
        self.name = _NAME_MARK
        self.attends_in_person = registration.attends_in_person
        self.attends_online = registration.attends_online

    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise RuntimeError(f"the registration mail reads registration.{name}, which its shared render leaves out")


def _shared_texts(
    memo: dict[tuple[object, ...], object],
    registration: Registration,
    reason: MailReason,
    *,
    position: int | None,
    note: str,
    event_url: str,
    join_url: str,
    has_calendar: bool,
) -> tuple[str, str, str]:
    """Subject, text and HTML of a registration mail with the name and the personal link as marks, once
    per batch for every value they are drawn from but those two."""
    event, locale = registration.event, registration.locale
    key = (
        "texts", event.id, locale, reason, position, registration.offer_expires_at, registration.attends_in_person,
        registration.attends_online, note, join_url, has_calendar,
    )  # fmt: skip

    return _memoized(memo, key, lambda: _texts(
        registration, _SharedAttendee(registration), reason, position=position, note=note, event_url=event_url,
        manage_url=_LINK_MARK, join_url=join_url, has_calendar=has_calendar,
    ))  # fmt: skip


def _texts(
    registration: Registration,
    attendee: Registration | _SharedAttendee,
    reason: MailReason,
    *,
    position: int | None,
    note: str,
    event_url: str,
    manage_url: str,
    join_url: str,
    has_calendar: bool,
) -> tuple[str, str, str]:
    """Subject, text and HTML of a registration mail in the person's language; the templates read the
    person as ``attendee`` (the registration itself, or a stand-in with marks for a shared render)."""
    with force_locale(registration.locale):
        subject, intro = _subject_and_intro(reason, registration, position)
        text, html = render(
            "registration",
            locale=registration.locale,
            event=registration.event,
            registration=attendee,
            reason=reason,
            intro=intro,
            note=note,
            event_url=event_url,
            manage_url=manage_url,
            join_url=join_url,
            has_calendar=has_calendar,
        )
    return subject, text, html
