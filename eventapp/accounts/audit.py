"""Writing the audit log: called by use-case services inside their own transaction (flush only); and
reading a line of it back in the reader's language, with the names of the people concerned looked up
at read time.

An entry stores what happened as an action code ("speaker.added") and parameters (JSON: ids, names as
they were, old and new values of what changed: see ``value`` and ``changes``). Its line is written when
the log is read, from a template per action (``audit_texts.TEMPLATES``), in the page's language. Entries
written before that hold a finished English ``summary``: the log shows it as it is, so no history is lost.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import datetime, tzinfo
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from eventapp.accounts import audit_texts
from eventapp.accounts.enums import AuditRole
from eventapp.accounts.models import AuditEntry, User
from eventapp.extensions import db


class RegisteredPerson(Protocol):
    """A registration as the audit log names it (registrations stand above accounts)."""

    @property
    def name(self) -> str: ...

    @property
    def email(self) -> str: ...


#: The address a purged or erased registration is left with (``<id>@purged.invalid``).
PURGED_DOMAIN = "@purged.invalid"

#: Longest text kept as an old or new value; a longer one (a description) is logged as changed only.
VALUE_MAX = 200

#: Parameters that may name or describe an attendee: removed when their data is purged or erased.
PERSONAL_KEYS = frozenset({"note", "person", "recipient", "name", "email"})

#: Enums that may appear as values (each with a ``label`` in the reader's language, or a table of labels
#: beside it), by class name. The change log sits low in the layers and imports no domain above it: the app
#: factory names them (``describe_enums``), as it connects the other layers' receivers.
_ENUMS: dict[str, type[enum.Enum]] = {}
_LABEL_TABLES: dict[str, Mapping[Any, Any]] = {}


def describe_enums(*modules: Any, labels: Mapping[type[enum.Enum], Mapping[Any, Any]] | None = None) -> None:
    """Let the change log show the members of every enum in ``modules`` by their labels; ``labels`` gives
    the table of labels of an enum that keeps them beside it rather than on its members."""
    for module in modules:
        for item in vars(module).values():
            if isinstance(item, type) and issubclass(item, enum.Enum) and item is not enum.Enum:
                _ENUMS.setdefault(item.__name__, item)
    for cls, table in (labels or {}).items():
        _ENUMS.setdefault(cls.__name__, cls)
        _LABEL_TABLES[cls.__name__] = table


def record(
    action: str,
    *,
    actor: User | None,
    event_id: int | None,
    registration_id: int | None = None,
    role: AuditRole | None = None,
    summary: str = "",
    **details: Any,
) -> None:
    """Add an entry to the caller's transaction: it is kept exactly when the change is.

    ``details`` are the parameters of the action's template (``audit_texts``): names as they were, and
    values through ``value`` / ``changes``. ``role`` defaults to organiser when an ``actor`` is given,
    else the system. Entries about a registration name no one: ``describe`` looks the person up by id.
    ``summary`` is for an action without a template only (it stays English); prefer a template."""
    if role is not None and not isinstance(role, AuditRole):
        raise TypeError("role is who acted (an AuditRole); give a parameter of that name another name")
    if actor is not None:
        details.setdefault("by", actor.display_name)
    db.session.add(
        AuditEntry(
            action=action,
            actor_id=actor.id if actor is not None else None,
            actor_role=role or (AuditRole.ORGANISER if actor is not None else AuditRole.SYSTEM),
            event_id=event_id,
            registration_id=registration_id,
            summary="" if action in audit_texts.TEMPLATES else summary,
            details={k: v for k, v in details.items() if v not in (None, "")},
        )
    )


def value(v: Any) -> Any:
    """A value as JSON the log can show later in any language: an enum keeps its class (shown through its
    label), a time is kept in UTC (shown in the event's zone, the zone named), a long text is left out."""
    if isinstance(v, enum.Enum):
        return {"enum": type(v).__name__, "value": v.value}
    if isinstance(v, datetime):
        return {"at": v.isoformat()}
    if isinstance(v, str) and len(v) > VALUE_MAX:
        return {"long": True}
    if v is None or isinstance(v, bool | int | float | str):
        return v
    if isinstance(v, list | tuple):
        return [value(item) for item in v]
    return str(v)


def changes(**pairs: tuple[Any, Any]) -> dict[str, Any] | None:
    """``{field: [old, new]}`` for each ``field=(old, new)`` that differs (None when none does)."""
    changed = {name: [value(old), value(new)] for name, (old, new) in pairs.items() if old != new}
    return changed or None


def person_label(registration: RegisteredPerson | None) -> str:
    """The name of the person a registration belongs to, or "a removed person" once erased or purged."""
    if registration is None or not registration.name or registration.email.endswith(PURGED_DOMAIN):
        return _("a removed person")
    return f"{registration.name} <{registration.email}>"


def _who(entry: AuditEntry) -> str:
    if entry.actor is not None:
        return entry.actor.display_name
    if entry.actor_role is AuditRole.ATTENDEE:
        return _("the person themself")
    if entry.actor_role is AuditRole.SPEAKER:
        return _("the speaker")
    by = (entry.details or {}).get("by")
    if entry.actor_role is AuditRole.ORGANISER and isinstance(by, str) and by:
        return by  # the account is gone; its name as it was
    return _("the system")


def people_concerned(entry: AuditEntry) -> set[int]:
    """Ids of the registrations a log line names (the one concerned, and those given its seat)."""
    ids = {entry.registration_id} if entry.registration_id is not None else set()
    return ids | {int(i) for i in (entry.details or {}).get("moved", []) if str(i).isdigit()}


def forget_person(entry: AuditEntry) -> None:
    """Remove from an entry about a registration whatever names or describes the person (their data is
    purged or erased): the personal parameters, and an old English summary (its line is written from
    the ids again, and reads "a removed person")."""
    details = entry.details or {}
    if any(key in details for key in PERSONAL_KEYS):
        entry.details = {k: v for k, v in details.items() if k not in PERSONAL_KEYS}
    if entry.summary:
        entry.summary = ""


def _enum_label(name: str, raw: Any) -> str:
    cls = _ENUMS.get(name)
    try:
        member = cls(raw) if cls is not None else None
    except ValueError:
        member = None
    if member is None:
        return str(raw)
    if hasattr(member, "label"):
        return str(member.label)
    if name in _LABEL_TABLES:
        return str(_LABEL_TABLES[name].get(member, raw))
    return str(raw)


def _local(at: datetime, zone: tzinfo) -> str:
    from eventapp.formatting import clock, short_date, zone_name

    local = at.astimezone(zone)
    return f"{short_date(local)} {clock(local)} {zone_name(local)}"


def show(v: Any, zone: tzinfo) -> str:
    """A stored value as a person reads it, in the page's language."""
    if v is None or v == "":
        return _("(none)")
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, dict):
        if "enum" in v:
            return _enum_label(str(v["enum"]), v.get("value"))
        if "at" in v:
            try:
                return _local(datetime.fromisoformat(str(v["at"])), zone)
            except ValueError:
                return str(v["at"])
        return "…"
    if isinstance(v, list):
        return ", ".join(show(item, zone) for item in v) or _("(none)")
    return str(v)


def _show_field(name: str, v: Any, zone: tzinfo) -> str:
    """A field's value: language and country codes by their names, anything else as ``show`` has it."""
    if isinstance(v, str) and v and name in ("language", "locale"):
        return _language(v)
    if isinstance(v, str) and v and name in ("country", "venue_country"):
        from eventapp.formatting import country_name

        return country_name(v)
    return show(v, zone)


def _changes(details: Mapping[str, Any], zone: tzinfo) -> str:
    """What changed, field by field: "Title: “old” → “new”"; a field without values by its name only."""
    parts = []
    found = details.get("changes") or details.get("changed") or {}
    if isinstance(found, list):  # field names only
        found = dict.fromkeys(found)
    before = details.get("before")
    for name, pair in found.items():
        label = audit_texts.field_label(str(name))
        if str(name).endswith("_id"):  # an id says nothing to a reader: the field's name only
            parts.append(label)
        elif isinstance(pair, list) and len(pair) == 2 and {"long": True} not in pair:
            old, new = (_show_field(str(name), v, zone) for v in pair)
            parts.append(_("%(field)s: %(old)s → %(new)s", field=label, old=old, new=new))
        elif isinstance(before, dict) and name in before:
            parts.append(_("%(field)s (was %(old)s)", field=label, old=show(before[name], zone)))
        else:
            parts.append(label)
    return "; ".join(parts) if parts else _("nothing")


def _language(code: str) -> str:
    """A language by name as it is written inside a sentence ("Finnish", "finsk")."""
    from babel import Locale

    from eventapp.formatting import format_locale

    try:
        return Locale.parse(code).get_display_name(format_locale()) or code
    except (ValueError, TypeError):
        return code


class _Params(dict):
    """Template parameters; one that is missing (an older entry) shows as "…" rather than failing."""

    def __missing__(self, key: str) -> str:
        return "…"


def _params(entry: AuditEntry, people: Mapping[int, RegisteredPerson], zone: tzinfo) -> _Params:
    details = entry.details or {}
    params = _Params({key: show(v, zone) for key, v in details.items() if not isinstance(v, list | dict)})
    for key, v in details.items():
        if isinstance(v, dict) and ("enum" in v or "at" in v):
            params[key] = show(v, zone)
    # raw flags and counts for the templates that choose a variant or a plural
    for key in ("again", "up", "required", "mail_sent_before", "address_changed", "anonymous"):
        params[key] = bool(details.get(key))
    params["who"] = _who(entry)
    if entry.actor_role is AuditRole.SPEAKER and isinstance(details.get("speaker"), str):
        params["who"] = _("the speaker %(name)s", name=details["speaker"])
    if entry.registration_id is not None:
        params["person"] = person_label(people.get(entry.registration_id))
    elif isinstance(details.get("recipient"), str):
        params["person"] = details["recipient"]
    status = details.get("status")
    if isinstance(status, str):
        params["status"] = show({"enum": "RegistrationStatus", "value": status}, zone)
    if isinstance(details.get("locale"), str):
        params["language"] = _language(details["locale"])
    if isinstance(details.get("speakers"), list):
        params["speakers"] = ", ".join(str(name) for name in details["speakers"])
    params["changes"] = _changes(details, zone)
    return params


def describe(entry: AuditEntry, people: Mapping[int, RegisteredPerson], zone: tzinfo | None = None) -> str:
    """The line the log view shows, in the page's language (plain text: the page escapes it).

    ``people`` maps registration id to registration (a missing one is a removed person); times show in
    ``zone`` (the event's), the zone named. An old entry with an English ``summary`` shows that."""
    if entry.summary:
        return entry.summary
    template = audit_texts.TEMPLATES.get(entry.action)
    if template is None:
        return entry.action
    params = _params(entry, people, zone or ZoneInfo("UTC"))
    line = template(params) if callable(template) else str(template) % params
    moved = [int(i) for i in (entry.details or {}).get("moved", []) if str(i).isdigit()]
    if moved:
        names = ", ".join(people[i].name if i in people and people[i].name else _("a removed person") for i in moved)
        line += "; " + _("seat given to %(names)s", names=names)
    return line
