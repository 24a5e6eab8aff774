"""How programmes are grouped on /programmes (a leaf module: imports nothing of the app but Babel)."""

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
