"""The change log in the reader's language: one translatable template per action code, and the labels of
the fields and values its parameters name.

An entry stores an action code ("speaker.added") and parameters (ids, names as they were, old and new
values); ``audit.describe`` picks the template here and fills it when the log is read, in the language
of the page. Templates are lazy strings with named placeholders; the result is plain text (escaped by
the page), never markup. A template is either a lazy string, or a function of the parameters for the
few lines that need a plural or a variant.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

Template = Any  # a LazyString, or Callable[[Mapping[str, Any]], str]


def _count(params: Mapping[str, Any], key: str) -> int:
    try:
        return int(params.get(key) or 0)
    except (TypeError, ValueError):
        return 0


def _event_created(p: Mapping[str, Any]) -> str:
    if p.get("source"):
        return _("Event created by %(who)s as a copy of %(source)s", who=p["who"], source=p["source"])
    return _("Event created by %(who)s", who=p["who"])


def _event_updated(p: Mapping[str, Any]) -> str:
    line = _("Event changed by %(who)s: %(changes)s", who=p["who"], changes=p["changes"])
    told = _count(p, "told")
    if told:
        line += "; " + ngettext(
            "%(num)d confirmed attendee was sent the updated invitation",
            "%(num)d confirmed attendees were sent the updated invitation",
            told,
        )
    return line


def _interest_news_sent(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Programme news “%(subject)s” sent by %(who)s to %(num)d subscriber",
        "Programme news “%(subject)s” sent by %(who)s to %(num)d subscribers",
        _count(p, "recipients"),
        who=p["who"],
        subject=p.get("subject", ""),
    )


def _call_decided(p: Mapping[str, Any]) -> str:
    decision = p.get("decision")
    if decision == "accepted":
        return _("Application of %(organisation)s accepted by %(who)s", organisation=p["organisation"], who=p["who"])
    if decision == "declined":
        return _("Application of %(organisation)s declined by %(who)s", organisation=p["organisation"], who=p["who"])
    if decision == "on_hold":
        return _("Application of %(organisation)s put on hold by %(who)s", organisation=p["organisation"], who=p["who"])
    return _("Application of %(organisation)s decided by %(who)s", organisation=p["organisation"], who=p["who"])


def _call_events(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d event set for the accepted organisations of the call “%(call)s” by %(who)s",
        "%(num)d events set for the accepted organisations of the call “%(call)s” by %(who)s",
        _count(p, "count"),
        who=p["who"],
        call=p.get("call", ""),
    )


def _event_cancelled(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Event cancelled by %(who)s; %(num)d person was told",
        "Event cancelled by %(who)s; %(num)d people were told",
        _count(p, "told"),
        who=p["who"],
    )


def _speaker_invited(p: Mapping[str, Any]) -> str:
    if p.get("again"):
        return _("New link sent to the speaker %(speaker)s by %(who)s", who=p["who"], speaker=p["speaker"])
    return _("Invitation sent to the speaker %(speaker)s by %(who)s", who=p["who"], speaker=p["speaker"])


def _speaker_reminded(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Slide reminder sent by %(who)s to %(num)d speaker: %(speakers)s",
        "Slide reminder sent by %(who)s to %(num)d speakers: %(speakers)s",
        _count(p, "count"),
        who=p["who"],
        speakers=p["speakers"],
    )


def _links_revoked(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d link of the speaker %(speaker)s revoked by %(who)s",
        "%(num)d links of the speaker %(speaker)s revoked by %(who)s",
        _count(p, "count"),
        who=p["who"],
        speaker=p["speaker"],
    )


def _material_added(p: Mapping[str, Any]) -> str:
    if p.get("file"):
        return _("%(kind)s “%(title)s” uploaded by %(who)s: %(file)s", **_pick(p, "kind", "title", "who", "file"))
    return _("%(kind)s “%(title)s” added by %(who)s: %(url)s", **_pick(p, "kind", "title", "who", "url"))


def _material_uploaded(p: Mapping[str, Any]) -> str:
    return _(
        "%(kind)s “%(title)s”: version %(version)s uploaded by %(who)s: %(file)s",
        **_pick(p, "kind", "title", "version", "who", "file"),
    )


def _material_edited(p: Mapping[str, Any]) -> str:
    if p.get("changes"):
        return _("%(kind)s “%(title)s” edited by %(who)s: %(changes)s", **_pick(p, "kind", "title", "who", "changes"))
    return _("%(kind)s “%(title)s” edited by %(who)s", **_pick(p, "kind", "title", "who"))


def _material_deleted(p: Mapping[str, Any]) -> str:
    files = _count(p, "files")
    if files:
        return ngettext(
            "%(kind)s “%(title)s” deleted by %(who)s with %(num)d file version",
            "%(kind)s “%(title)s” deleted by %(who)s with %(num)d file versions",
            files,
            **_pick(p, "kind", "title", "who"),
        )
    return _("%(kind)s “%(title)s” deleted by %(who)s", **_pick(p, "kind", "title", "who"))


def _materials_published(p: Mapping[str, Any]) -> str:
    if p.get("mail_sent_before"):
        return _("Materials published by %(who)s (the follow-up mail had gone before: not sent again)", who=p["who"])
    return ngettext(
        "Materials published by %(who)s; follow-up mail to %(num)d confirmed attendee",
        "Materials published by %(who)s; follow-up mail to %(num)d confirmed attendees",
        _count(p, "mailed"),
        who=p["who"],
    )


def _question_added(p: Mapping[str, Any]) -> str:
    if p.get("required"):
        return _("Sign-up form: the required question “%(label)s” added by %(who)s", **_pick(p, "label", "who"))
    return _("Sign-up form: the question “%(label)s” added by %(who)s", **_pick(p, "label", "who"))


def _question_removed(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Sign-up form: the question “%(label)s” and its %(num)d answer removed by %(who)s",
        "Sign-up form: the question “%(label)s” and its %(num)d answers removed by %(who)s",
        _count(p, "answers"),
        **_pick(p, "label", "who"),
    )


def _requirement_removed(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Sign-up form: the requirement “%(text)s” and its %(num)d confirmation removed by %(who)s",
        "Sign-up form: the requirement “%(text)s” and its %(num)d confirmations removed by %(who)s",
        _count(p, "confirmations"),
        **_pick(p, "text", "who"),
    )


def _moved(up: Template, down: Template) -> Callable[[Mapping[str, Any]], str]:
    def render(p: Mapping[str, Any]) -> str:
        return str(up if p.get("up") else down) % p

    return render


def _mailing_sent(p: Mapping[str, Any]) -> str:
    return ngettext(
        "Mailing “%(subject)s” sent by %(who)s to %(num)d person",
        "Mailing “%(subject)s” sent by %(who)s to %(num)d people",
        _count(p, "recipients"),
        **_pick(p, "subject", "who"),
    )


def _mailing_retried(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d failed mail of the mailing “%(subject)s” tried again by %(who)s",
        "%(num)d failed mails of the mailing “%(subject)s” tried again by %(who)s",
        _count(p, "mails"),
        **_pick(p, "subject", "who"),
    )


def _mail_resent(p: Mapping[str, Any]) -> str:
    if p.get("address_changed"):
        return _("Failed mail to %(person)s sent again by %(who)s, to a corrected address", **_pick(p, "person", "who"))
    return _("Failed mail to %(person)s sent again by %(who)s", **_pick(p, "person", "who"))


def _contacts_chosen(p: Mapping[str, Any]) -> str:
    count = _count(p, "count")
    if not count:
        return _("Event contacts set by %(who)s to every contact person of the programme", who=p["who"])
    return ngettext(
        "%(num)d contact person chosen for the event by %(who)s: %(names)s",
        "%(num)d contact persons chosen for the event by %(who)s: %(names)s",
        count,
        **_pick(p, "who", "names"),
    )


def _ready_published(p: Mapping[str, Any]) -> str:
    return ngettext(
        "%(num)d set of slides that was ready published by %(who)s: %(titles)s",
        "%(num)d sets of slides that were ready published by %(who)s: %(titles)s",
        _count(p, "count"),
        **_pick(p, "who", "titles"),
    )


def _survey_added(p: Mapping[str, Any]) -> str:
    if p.get("anonymous"):
        return _("Feedback survey added by %(who)s (anonymous)", who=p["who"])
    return _("Feedback survey added by %(who)s (not anonymous)", who=p["who"])


def _survey_changed(p: Mapping[str, Any]) -> str:
    if p.get("changes") and p["changes"] != _("nothing"):
        return _("Feedback survey changed by %(who)s: %(changes)s", **_pick(p, "who", "changes"))
    if p.get("anonymous"):
        return _("Feedback survey changed by %(who)s (anonymous)", who=p["who"])
    return _("Feedback survey changed by %(who)s (not anonymous)", who=p["who"])


def _survey_question_changed(p: Mapping[str, Any]) -> str:
    if p.get("changes") and p["changes"] != _("nothing"):
        return _(
            "Feedback survey: the question “%(label)s” changed by %(who)s: %(changes)s",
            **_pick(p, "label", "who", "changes"),
        )
    return _("Feedback survey: the question “%(label)s” changed by %(who)s", **_pick(p, "label", "who"))


def _pick(p: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    return {key: p[key] for key in keys}


#: Action code → template. Placeholders: ``who`` (the one who acted), ``person`` (the attendee
#: concerned, looked up when read), ``changes`` (what changed, old → new), and the entry's parameters.
TEMPLATES: dict[str, Template] = {
    # events
    "event.created": _event_created,
    "event.updated": _event_updated,
    "event.published": _l("Event published by %(who)s"),
    "event.unpublished": _l("Event taken back to draft by %(who)s"),
    "event.cancelled": _event_cancelled,
    "event.translated": _l("Translation into %(language)s saved by %(who)s"),
    "event.translation_removed": _l("Translation into %(language)s removed by %(who)s"),
    "event.manager_added": _l("%(name)s added to the team by %(who)s"),
    "event.manager_removed": _l("%(name)s removed from the team by %(who)s"),
    "event.contacts_chosen": _contacts_chosen,
    # agenda
    "agenda.added": _l("Agenda: “%(title)s” at %(starts_at)s added by %(who)s"),
    "agenda.changed": _l("Agenda: “%(title)s” changed by %(who)s: %(changes)s"),
    "agenda.removed": _l("Agenda: “%(title)s” removed by %(who)s"),
    "agenda.moved": _moved(
        _l("Agenda: “%(title)s” moved up by %(who)s"), _l("Agenda: “%(title)s” moved down by %(who)s")
    ),
    # sign-up form
    "question.added": _question_added,
    "question.changed": _l("Sign-up form: the question “%(label)s” changed by %(who)s: %(changes)s"),
    "question.removed": _question_removed,
    "question.moved": _moved(
        _l("Sign-up form: the question “%(label)s” moved up by %(who)s"),
        _l("Sign-up form: the question “%(label)s” moved down by %(who)s"),
    ),
    "requirement.added": _l("Sign-up form: the requirement “%(text)s” added by %(who)s"),
    "requirement.changed": _l("Sign-up form: the requirement “%(text)s” changed by %(who)s: %(changes)s"),
    "requirement.removed": _requirement_removed,
    "requirement.moved": _moved(
        _l("Sign-up form: the requirement “%(text)s” moved up by %(who)s"),
        _l("Sign-up form: the requirement “%(text)s” moved down by %(who)s"),
    ),
    # registrations (the person is looked up when the log is read)
    "registration.added": _l("%(person)s: added by %(who)s (%(status)s)"),
    "registration.approved": _l("%(person)s: approved by %(who)s (%(status)s)"),
    "registration.rejected": _l("%(person)s: rejected by %(who)s"),
    "registration.cancelled": _l("%(person)s: cancelled by %(who)s"),
    "registration.confirmed_from_waitlist": _l("%(person)s: given a seat from the waiting list by %(who)s"),
    "registration.attendance_switched": _l("%(person)s: switched to %(attendance)s by %(who)s (%(status)s)"),
    "registration.checked_in": _l("%(person)s: checked in by %(who)s"),
    "registration.check_in_undone": _l("%(person)s: check-in undone by %(who)s"),
    "registration.erased": _l("%(person)s: erased by %(who)s"),
    # speakers and materials
    "speaker.added": _l("Speaker %(speaker)s added by %(who)s"),
    "speaker.invited": _speaker_invited,
    "speaker.links_revoked": _links_revoked,
    "speaker.reminded": _speaker_reminded,
    "speaker.profile_updated": _l("Profile of the speaker %(speaker)s changed by %(who)s: %(changes)s"),
    "speaker.email_changed": _l("Address of the speaker %(speaker)s changed by %(who)s"),
    "material.added": _material_added,
    "material.edited": _material_edited,
    "material.uploaded": _material_uploaded,
    "material.withdrawn": _l("%(kind)s “%(title)s” withdrawn by %(who)s"),
    "material.deleted": _material_deleted,
    "materials.published": _materials_published,
    "materials.unpublished": _l("Materials section hidden by %(who)s"),
    "materials.ready_published": _ready_published,
    "materials.slides_policy": _l("Speakers' slides set by %(who)s to: %(policy)s"),
    # feedback surveys
    "survey.added": _survey_added,
    "survey.changed": _survey_changed,
    "survey.question_added": _l("Feedback survey: the question “%(label)s” added by %(who)s"),
    "survey.question_changed": _survey_question_changed,
    "survey.question_removed": _l("Feedback survey: the question “%(label)s” removed by %(who)s"),
    "survey.question_moved": _moved(
        _l("Feedback survey: the question “%(label)s” moved up by %(who)s"),
        _l("Feedback survey: the question “%(label)s” moved down by %(who)s"),
    ),
    # interest lists (programme entries)
    "interest.news_sent": _interest_news_sent,
    "interest.removed": _l("A person removed from the interest list by %(who)s"),
    "interest.erased": _l("A person's interest-list subscription erased by %(who)s on a personal data request"),
    # calls for participation (programme entries)
    "call.created": _l("Call “%(title)s” opened by %(who)s"),
    "call.changed": _l("Call “%(title)s” changed by %(who)s"),
    "call.question_added": _l("Question “%(label)s” added to the call “%(call)s” by %(who)s"),
    "call.question_removed": _l("Question “%(label)s” removed from the call “%(call)s” by %(who)s"),
    "call.decided": _call_decided,
    "call.events": _call_events,
    "call.translated": _l("Translation of the call “%(call)s” into %(language)s saved by %(who)s"),
    "call.translation_removed": _l("Translation of the call “%(call)s” into %(language)s removed by %(who)s"),
    # mail
    "mail.resent": _mail_resent,
    "mailing.sent": _mailing_sent,
    "mailing.retried": _mailing_retried,
    # programmes, accounts, site (not tied to an event)
    "programme.created": _l("Programme %(slug)s created by %(who)s"),
    "programme.updated": _l("Programme %(slug)s changed by %(who)s: %(changes)s"),
    "programme.contact_added": _l("Contact person added by %(who)s"),
    "programme.contact_updated": _l("Contact person changed by %(who)s"),
    "programme.contact_removed": _l("Contact person removed by %(who)s"),
    "programme.partner_added": _l("%(kind)s “%(name)s” added to the programme by %(who)s"),
    "programme.partner_updated": _l("%(kind)s “%(name)s” of the programme changed by %(who)s"),
    "programme.partner_removed": _l("%(kind)s “%(name)s” removed from the programme by %(who)s"),
    "programme.person_added": _l("%(name)s (%(group)s) added to the programme by %(who)s"),
    "programme.person_updated": _l("%(name)s (%(group)s) in the programme changed by %(who)s"),
    "programme.person_removed": _l("%(name)s (%(group)s) removed from the programme by %(who)s"),
    "programme.translated": _l("Translation of the programme %(slug)s into %(language)s saved by %(who)s"),
    "programme.translation_removed": _l("Translation of the programme %(slug)s into %(language)s removed by %(who)s"),
    "account.created": _l("Account for %(email)s (%(account_role)s) created by %(who)s"),
    "account.updated": _l("Account %(email)s changed by %(who)s: %(changes)s"),
    "account.deactivated": _l("Account %(email)s deactivated by %(who)s"),
    "account.reactivated": _l("Account %(email)s reactivated by %(who)s"),
    "account.password_link_sent": _l("Set-password link sent to %(email)s by %(who)s"),
    "site.updated": _l("Site settings changed by %(who)s: %(changes)s"),
}

#: What a changed field is called, by its name in the parameters.
FIELDS: dict[str, Any] = {
    # events
    "title": _l("Title"),
    "slug": _l("Web address"),
    "summary": _l("Summary"),
    "description_md": _l("Description"),
    "kind": _l("Kind"),
    "format": _l("Format"),
    "programme_id": _l("Programme"),
    "timezone": _l("Time zone"),
    "starts_at": _l("Starts"),
    "ends_at": _l("Ends"),
    "language": _l("Language"),
    "venue_name": _l("Venue"),
    "venue_address": _l("Address"),
    "city": _l("Town or city"),
    "venue_country": _l("Country of the venue"),
    "directions": _l("Directions"),
    "latitude": _l("Latitude"),
    "longitude": _l("Longitude"),
    "online_url": _l("Join link"),
    "capacity": _l("Seats"),
    "waitlist_enabled": _l("Waiting list when full"),
    "waitlist_mode": _l("When a seat frees up"),
    "offer_hours": _l("Hours to accept an offered seat"),
    "requires_approval": _l("The organiser approves each registration"),
    "quota_per_organisation": _l("Seats per organisation"),
    "registration_opens_at": _l("Registration opens"),
    "registration_closes_at": _l("Registration closes"),
    "reminder_day_before": _l("Reminder the day before"),
    "reminder_hour_before": _l("Reminder an hour before"),
    "reminder_note": _l("Note in the reminders"),
    # feedback surveys
    "anonymous": _l("Anonymous answers"),
    "intro": _l("Introduction"),
    "closes_at": _l("Closes"),
    # programmes, site, accounts, speakers
    "website_url": _l("Website"),
    "group": _l("Group"),
    "parent_id": _l("Part of another programme"),
    "country": _l("Country"),
    "operator_name": _l("Operator"),
    "contact_email": _l("Contact email"),
    "contact_phone": _l("Contact phone"),
    "postal_address": _l("Postal address"),
    "contact_md": _l("Contact text"),
    "logo": _l("Logo"),
    "name": _l("Name"),
    "role": _l("Role"),
    "job_title": _l("Job title"),
    "organisation": _l("Organisation"),
    "bio": _l("Short biography"),
    # materials, questions, requirements
    "url": _l("Address"),
    "visibility": _l("Who may see it"),
    "published": _l("Published"),
    "label": _l("Question"),
    "help_text": _l("Help text"),
    "choices": _l("Choices"),
    "required": _l("An answer is required"),
    "text": _l("Text"),
    "status": _l("Status"),
}


def field_label(name: str) -> str:
    label = FIELDS.get(name)
    return str(label) if label is not None else name.replace("_", " ")
