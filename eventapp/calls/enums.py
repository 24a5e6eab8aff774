"""Kinds and states of calls for participation and their applications (a leaf module)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class CallKind(StrEnum):
    #: Organisations apply to take part in a project (a buyer dialogue, a research application).
    PARTICIPATION = "participation"
    #: Organisations apply to become members of a network.
    MEMBERSHIP = "membership"

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self])


_KIND_LABELS = {
    CallKind.PARTICIPATION: _l("Call for participation"),
    CallKind.MEMBERSHIP: _l("Membership application"),
}


class LetterPolicy(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    NOT_ASKED = "not_asked"

    @property
    def label(self) -> str:
        return str(_LETTER_LABELS[self])


_LETTER_LABELS = {
    LetterPolicy.REQUIRED: _l("A letter of intent is required"),
    LetterPolicy.OPTIONAL: _l("A letter of intent is optional"),
    LetterPolicy.NOT_ASKED: _l("No letter of intent is asked for"),
}


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    ON_HOLD = "on_hold"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])


_STATUS_LABELS = {
    ApplicationStatus.SUBMITTED: _l("Received, not yet reviewed"),
    ApplicationStatus.ON_HOLD: _l("On hold"),
    ApplicationStatus.ACCEPTED: _l("Accepted"),
    ApplicationStatus.DECLINED: _l("Declined"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
}

#: Applications that still count: not withdrawn (a withdrawn one frees the organisation number).
LIVE_STATUSES = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.ON_HOLD, ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED}
)

#: The only moves an application can make (``calls.services.transition``).
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.ON_HOLD, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.ON_HOLD: frozenset(
        {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.ACCEPTED: frozenset({ApplicationStatus.DECLINED, ApplicationStatus.ON_HOLD}),
    ApplicationStatus.DECLINED: frozenset({ApplicationStatus.ACCEPTED, ApplicationStatus.ON_HOLD}),
    ApplicationStatus.WITHDRAWN: frozenset(),
}

#: The decisions an organiser can take.
DECISIONS = (ApplicationStatus.ACCEPTED, ApplicationStatus.ON_HOLD, ApplicationStatus.DECLINED)
