"""One builder per reason to write to someone. Each renders text and HTML from ``templates/mail/`` in the
recipient's language, with absolute links, and returns a ``RenderedMail`` ready for ``enqueue``.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.calendar.ics import Method, Person, event_calendar, registration_uid
from eventapp.calendar.labels import labels_in
from eventapp.calendar.people import organizer_for
from eventapp.events.models import Event
from eventapp.formatting import clock, long_date, zone_name
from eventapp.mail.enums import CalendarMethod
from eventapp.mail.services import RenderedMail
from eventapp.urls import absolute_url

if TYPE_CHECKING:
    from eventapp.accounts.models import User
    from eventapp.agenda.models import AgendaItem
    from eventapp.registrations.models import Registration
    from eventapp.speakers.models import Speaker


class _Recipient(Protocol):
    email: str
    name: str


def _mail(
    kind: str,
    to: _Recipient,
    *,
    locale: str,
    subject: str,
    text: str,
    html: str,
    calendar: bytes | None = None,
    method: CalendarMethod | None = None,
) -> RenderedMail:
    """A rendered mail to ``to`` (a registration, a speaker, an organiser account or a calendar person)."""
    return RenderedMail(
        kind=kind,
        recipient_email=to.email,
        recipient_name=to.name,
        locale=locale,
        subject=subject,
        body_text=text,
        body_html=html,
        calendar=calendar,
        calendar_method=method,
        about=to if getattr(to, "__tablename__", None) in ("registrations", "speakers") else None,
    )


def render(template: str, *, locale: str, **context: object) -> tuple[str, str]:
    """``mail/<template>.txt`` and ``.html`` rendered in ``locale``."""
    with force_locale(locale):
        text = render_template(f"mail/{template}.txt", **context) + render_template("mail/_footer.txt")
        html = render_template(f"mail/{template}.html", **context)
    return text, html


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
    return _mail(
        "invitation" if method is CalendarMethod.REQUEST else "invitation_cancelled",
        person,
        locale=locale,
        subject=subject,
        text=text,
        html=html,
        calendar=calendar,
        method=method,
    )


def _subject_and_intro(reason: str, registration: Registration, position: int | None) -> tuple[str, str]:
    title = registration.event.title
    deadline = ""
    if registration.offer_expires_at is not None:
        local = registration.offer_expires_at.astimezone(registration.event.tzinfo)
        deadline = f"{long_date(local)} {clock(local)} ({zone_name(local)})"
    texts = {
        "confirmed": (_("You are registered: %(title)s", title=title),
                      _("Your place is confirmed. The calendar invitation is attached: open it to add the event "
                        "to your calendar.")),
        "approved": (_("Your place is confirmed: %(title)s", title=title),
                     _("The organiser has approved your registration and your place is confirmed. The calendar "
                       "invitation is attached.")),
        "promoted": (_("A seat opened up, and it is yours: %(title)s", title=title),
                     _("A seat became free and you were first on the waiting list: your place is now confirmed. "
                       "The calendar invitation is attached.")),
        "waitlisted": (_("You are on the waiting list: %(title)s", title=title),
                       _("The event is full, so you are on the waiting list, number %(position)s. If a seat frees "
                         "up you will hear from us at once.", position=position or "?")),
        "pending": (_("We have received your registration: %(title)s", title=title),
                    _("The organiser reviews every registration for this event. You will get an email when they "
                      "have decided.")),
        "rejected": (_("Your registration was not approved: %(title)s", title=title),
                     _("The organiser could not offer you a place at this event.")),
        "cancelled": (_("Registration cancelled: %(title)s", title=title),
                      _("Your registration has been cancelled. If you change your mind, you are welcome to sign up "
                        "again while registration is open.")),
        "link": (_("Your registration link: %(title)s", title=title),
                 _("Here is the link to your registration, as you asked. Earlier links still work.")),
        "already_registered": (_("You are already registered: %(title)s", title=title),
                               _("Someone, probably you, just tried to sign up for this event again with this "
                                 "address. You are already registered: here is the link to your registration. "
                                 "Earlier links still work. If it was not you, you need not do anything.")),
        "offer": (_("A seat is free for you: %(title)s", title=title),
                  _("A seat has become free and it is offered to you first. Accept it before %(deadline)s, or it "
                    "goes to the next person waiting.", deadline=deadline)),
        "offer_expired": (_("The seat offer has lapsed: %(title)s", title=title),
                          _("The seat we offered you was not accepted in time and has gone to the next person. "
                            "You are no longer on the waiting list.")),
        "updated": (_("Changed: %(title)s", title=title),
                    _("The event has changed. The details below are the new ones, and the attached invitation "
                      "updates the entry in your calendar.")),
        "event_cancelled": (_("Cancelled: %(title)s", title=title),
                            _("We are sorry: the event has been cancelled. If it was in your calendar, the "
                              "attached cancellation removes it.")),
        "reminder_day": (_("Tomorrow: %(title)s", title=title),
                         _("A reminder: the event is tomorrow. We look forward to seeing you.")),
        "reminder_hour": (_("Starting in an hour: %(title)s", title=title),
                          _("A reminder: the event starts in about an hour.")),
    }  # fmt: skip
    return texts[reason]


#: Reasons whose mail carries the event as a METHOD:REQUEST invitation.
INVITING_REASONS = frozenset({"confirmed", "approved", "promoted", "updated"})


def calendar_method_for(reason: str, *, withdraw_calendar: bool = False) -> CalendarMethod | None:
    """The iTIP method of the invitation a registration mail for ``reason`` carries, if any."""
    if reason in INVITING_REASONS:
        return CalendarMethod.REQUEST
    return CalendarMethod.CANCEL if withdraw_calendar else None


def registration_mail(
    registration: Registration,
    reason: str,
    *,
    token: str,
    now: datetime,
    note: str = "",
    withdraw_calendar: bool = False,
) -> RenderedMail:
    """A mail about one person's registration, in their language, with their personal link.

    ``reason`` is what happened (confirmed, waitlisted, pending, approved, promoted, rejected, cancelled,
    link, already_registered, offer, offer_expired, reminder_day, reminder_hour). Confirmations carry a METHOD:REQUEST
    invitation (with the join link for confirmed online attendees); with ``withdraw_calendar`` a
    cancellation or rejection carries METHOD:CANCEL, so the entry leaves the person's calendar. Both
    carry the registration's UID and ``invitation_sequence``: the caller (``mail_registration``) has
    raised the registration's counter for every invitation after the first.
    """
    from eventapp.registrations.queries import waitlist_position

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
            sequence=registration.invitation_sequence,
            now=now,
            labels=labels_in(registration.locale),
        )
    position = waitlist_position(registration) if reason == "waitlisted" else None
    locale = registration.locale
    with force_locale(locale):
        subject, intro = _subject_and_intro(reason, registration, position)
        show_join = registration.sees_join_link and reason in INVITING_REASONS | {"reminder_hour", "link"}
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
    return _mail(
        f"registration_{reason}",
        registration,
        locale=locale,
        subject=subject,
        text=text,
        html=html,
        calendar=calendar,
        method=method,
    )


def password_reset(user: User, reset_url: str, *, locale: str) -> RenderedMail:
    """The link an organiser asked for to choose a new password."""
    text, html = render("password_reset", locale=locale, user=user, reset_url=reset_url)
    with force_locale(locale):
        subject = _("Choose a new password for %(site)s", site=current_app.config["EVENTAPP_SITE_NAME"])
    return _mail("password_reset", user, locale=locale, subject=subject, text=text, html=html)


def organiser_message(registration: Registration, *, subject: str, body: str, manage_url: str | None) -> RenderedMail:
    """An organiser's own message (a mailing) to one person registered for an event, in that person's
    language around the organiser's words, with the event's facts and the person's own link."""
    event = registration.event
    text, html = render(
        "mailing",
        locale=registration.locale,
        event=event,
        registration=registration,
        body=body,
        event_url=absolute_url("events.detail", slug=event.slug),
        manage_url=manage_url,
    )
    return _mail("mailing", registration, locale=registration.locale, subject=subject, text=text, html=html)


def account_welcome(
    user: User, set_password_url: str, *, locale: str, sent_by: User, first_time: bool, valid_hours: int
) -> RenderedMail:
    """An administrator made an account for ``user`` (``first_time``), or sent them a new link: choose a
    password at ``set_password_url`` (valid ``valid_hours``), then sign in."""
    site = current_app.config["EVENTAPP_SITE_NAME"]
    context = {
        "user": user,
        "set_password_url": set_password_url,
        "sign_in_url": absolute_url("accounts.login"),
        "new_link_url": absolute_url("accounts.request_reset"),
        "sent_by": sent_by,
        "first_time": first_time,
        "valid_hours": valid_hours,
        "site": site,
    }
    text, html = render("account_welcome", locale=locale, **context)
    with force_locale(locale):
        subject = (
            _("Welcome to %(site)s: choose your password", site=site)
            if first_time
            else _("Choose a password for %(site)s", site=site)
        )
    return _mail("account_welcome", user, locale=locale, subject=subject, text=text, html=html)


# --- speakers (invitation to the speaker portal, reminder to upload slides) ----------------------


def _speaker_mail(
    kind: str,
    template: str,
    speaker: Speaker,
    items: list[AgendaItem],
    *,
    token: str,
    expires_at: datetime,
    subject: str,
    now: datetime | None = None,
    sent_by: User | None = None,
) -> RenderedMail:
    event = speaker.event
    locale = speaker.locale
    text, html = render(
        template,
        locale=locale,
        event=event,
        speaker=speaker,
        items=items,
        portal_url=absolute_url("speakers.portal", token=token),
        event_url=absolute_url("events.detail", slug=event.slug) if event.is_public else "",
        expires=expires_at.astimezone(event.tzinfo),
        max_mb=current_app.config["MAX_UPLOAD_MB"],
        event_is_past=event.is_past(now),
        sent_by=sent_by.display_name if sent_by is not None else "",
    )
    return _mail(kind, speaker, locale=locale, subject=subject, text=text, html=html)


def speaker_invitation(
    speaker: Speaker, items: list[AgendaItem], *, token: str, expires_at: datetime, sent_by: User | None = None
) -> RenderedMail:
    """A speaker's personal link to the speaker portal, in their language: the event, the agenda items they
    present (times in the event's zone), what to do there (check their profile, upload slides before
    the event) and how long the link works."""
    with force_locale(speaker.locale):
        subject = _("You are speaking at %(title)s: your speaker page", title=speaker.event.title)
    return _speaker_mail("speaker_invitation", "speaker_invitation", speaker, items, token=token,
                         expires_at=expires_at, subject=subject, sent_by=sent_by)  # fmt: skip


def speaker_reminder(
    speaker: Speaker, missing: list[AgendaItem], *, token: str, expires_at: datetime, now: datetime
) -> RenderedMail:
    """A reminder to a speaker who has not uploaded slides for ``missing`` (their agenda items without
    slides), with a fresh personal link."""
    with force_locale(speaker.locale):
        subject = _("Reminder: your slides for %(title)s", title=speaker.event.title)
    return _speaker_mail("speaker_reminder", "speaker_reminder", speaker, missing, token=token,
                         expires_at=expires_at, subject=subject, now=now)  # fmt: skip


def materials_followup(
    registration: Registration, section: object, *, token: str, survey_url: str | None = None
) -> RenderedMail:
    """After the event: the materials a confirmed attendee may see (``section``, a
    ``speakers.material_queries.MaterialsSection`` of public and registered-only materials), in their
    language. Public files link to the public download, registered-only files to a download through the
    person's own link (``token``); recordings, boards and links to their address. ``survey_url``: the
    feedback survey's link, for a person who came (None: no survey for them)."""
    event = registration.event
    locale = registration.locale

    def link(shown) -> str:
        if shown.file is None:
            return shown.url
        if shown.is_public:
            return absolute_url("materials.public_file", file_id=shown.file.id, name=shown.file.original_name)
        return absolute_url(
            "materials.attendee_file", token=token, file_id=shown.file.id, name=shown.file.original_name
        )

    text, html = render(
        "materials_followup",
        locale=locale,
        event=event,
        registration=registration,
        section=section,
        link=link,
        event_url=absolute_url("events.detail", slug=event.slug) + "#materials",
        manage_url=absolute_url("registrations.manage", token=token),
        survey_url=survey_url,
    )
    with force_locale(locale):
        subject = _("Materials: %(title)s", title=event.title)
    return _mail("materials_followup", registration, locale=locale, subject=subject, text=text, html=html)
