"""How programmes are grouped on /programmes, and the kinds of partners and people a programme has (a leaf
module: imports nothing of the app but Babel)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class ProgrammeGroup(StrEnum):
    """The organisers choose which group a programme is listed under; /programmes shows them in this order."""

    NATIONAL = "national"
    REGIONAL = "regional"
    NORDIC = "nordic"
    RESEARCH = "research"
    NETWORK = "network"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The kind of programme, for the organisers' choice."""
        return str(_LABELS[self])

    @property
    def heading(self) -> str:
        """The group's heading on /programmes."""
        return str(_HEADINGS[self])


_LABELS = {
    ProgrammeGroup.NATIONAL: _l("National programme"),
    ProgrammeGroup.REGIONAL: _l("Regional programme"),
    ProgrammeGroup.NORDIC: _l("Nordic collaboration"),
    ProgrammeGroup.RESEARCH: _l("Research project"),
    ProgrammeGroup.NETWORK: _l("Network"),
    ProgrammeGroup.OTHER: _l("Other"),
}
_HEADINGS = {
    ProgrammeGroup.NATIONAL: _l("National programmes"),
    ProgrammeGroup.REGIONAL: _l("Regional programmes"),
    ProgrammeGroup.NORDIC: _l("Nordic collaboration"),
    ProgrammeGroup.RESEARCH: _l("Research projects"),
    ProgrammeGroup.NETWORK: _l("Networks"),
    ProgrammeGroup.OTHER: _l("Other programmes"),
}


class PartnerKind(StrEnum):
    """What an organisation does for a programme: takes part in it, or pays for it."""

    PARTNER = "partner"
    FUNDER = "funder"

    @property
    def label(self) -> str:
        return str(_PARTNER_LABELS[self])


_PARTNER_LABELS = {PartnerKind.PARTNER: _l("Partner"), PartnerKind.FUNDER: _l("Funder")}


class PersonGroup(StrEnum):
    """Where someone sits in a programme's organisation; the programme page lists the groups in this order."""

    PROJECT_LEAD = "project_lead"
    BOARD = "board"
    STEERING_GROUP = "steering_group"

    @property
    def label(self) -> str:
        """The choice in the back office."""
        return str(_PERSON_LABELS[self])

    @property
    def heading(self) -> str:
        """The group's heading on the programme page."""
        return str(_PERSON_HEADINGS[self])


_PERSON_LABELS = {
    PersonGroup.PROJECT_LEAD: _l("Project lead"),
    PersonGroup.BOARD: _l("Board"),
    PersonGroup.STEERING_GROUP: _l("Steering group"),
}
_PERSON_HEADINGS = {
    PersonGroup.PROJECT_LEAD: _l("Project management"),
    PersonGroup.BOARD: _l("Board"),
    PersonGroup.STEERING_GROUP: _l("Steering group"),
}
