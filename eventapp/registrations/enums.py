"""States and kinds of the registration domain (imports only the events' enums)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

# An event's setting (events/enums.py); importable from here too, where the registration rules use it.
from eventapp.events.enums import AttendanceMode as AttendanceMode
from eventapp.events.enums import WaitlistMode as WaitlistMode


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PENDING = "pending"  #: waiting for an organiser's approval
    REJECTED = "rejected"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Confirmed"),
    RegistrationStatus.WAITLISTED: _l("On the waiting list"),
    RegistrationStatus.PENDING: _l("Awaiting approval"),
    RegistrationStatus.REJECTED: _l("Not approved"),
    RegistrationStatus.CANCELLED: lazy_pgettext("registration status", "Cancelled"),
}

#: Registrations that hold a place in the event's lists (and count towards organisation quotas).
ACTIVE_STATUSES = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.PENDING})

#: The only moves a registration can make (see ``registrations.services.transition``).
TRANSITIONS: dict[RegistrationStatus, frozenset[RegistrationStatus]] = {
    RegistrationStatus.PENDING: frozenset(
        {
            RegistrationStatus.CONFIRMED,
            RegistrationStatus.WAITLISTED,
            RegistrationStatus.REJECTED,
            RegistrationStatus.CANCELLED,
        }
    ),
    RegistrationStatus.WAITLISTED: frozenset(
        {RegistrationStatus.CONFIRMED, RegistrationStatus.REJECTED, RegistrationStatus.CANCELLED}
    ),
    RegistrationStatus.CONFIRMED: frozenset({RegistrationStatus.CANCELLED, RegistrationStatus.REJECTED}),
    RegistrationStatus.REJECTED: frozenset(),
    RegistrationStatus.CANCELLED: frozenset(),
}


class OrganisationType(StrEnum):
    MUNICIPALITY = "municipality"
    COUNTY = "county"
    STATE = "state"
    COMPANY = "company"
    RESEARCH = "research"
    OTHER = "other"

    @property
    def label(self) -> str:
        return str(_ORG_LABELS[self])


_ORG_LABELS = {
    OrganisationType.MUNICIPALITY: _l("Municipality"),
    OrganisationType.COUNTY: _l("County or region"),
    OrganisationType.STATE: _l("State agency"),
    OrganisationType.COMPANY: _l("Supplier or company"),
    OrganisationType.RESEARCH: _l("Research or academia"),
    OrganisationType.OTHER: _l("NGO or other"),
}


class QuestionKind(StrEnum):
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    YES_NO = "yes_no"
