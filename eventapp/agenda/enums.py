"""Kinds of agenda item (a leaf module)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class AgendaItemKind(StrEnum):
    TALK = "talk"
    PANEL = "panel"
    DISCUSSION = "discussion"
    BREAK = "break"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS = {
    AgendaItemKind.TALK: _l("Talk"),
    AgendaItemKind.PANEL: _l("Panel"),
    AgendaItemKind.DISCUSSION: _l("Discussion"),
    AgendaItemKind.BREAK: _l("Break"),
}
