"""Kinds and visibility of materials (a leaf module)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class MaterialKind(StrEnum):
    SLIDES = "slides"  #: a file: PDF, PowerPoint, OpenDocument or Keynote
    RECORDING = "recording"  #: a video address (YouTube, Vimeo or any https link)
    BOARD = "board"  #: the digital board used live (Padlet, Miro or any link)
    DOCUMENT = "document"  #: a file: a report, a hand-out
    LINK = "link"  #: any other address

    @property
    def label(self) -> str:
        return str(_KIND_LABELS[self])

    @property
    def has_file(self) -> bool:
        return self in (MaterialKind.SLIDES, MaterialKind.DOCUMENT)


_KIND_LABELS = {
    MaterialKind.SLIDES: _l("Slides"),
    MaterialKind.RECORDING: _l("Recording"),
    MaterialKind.BOARD: _l("Digital board"),
    MaterialKind.DOCUMENT: _l("Document"),
    MaterialKind.LINK: _l("Link"),
}


class Visibility(StrEnum):
    PUBLIC = "public"  #: everyone, on the event page
    REGISTERED = "registered"  #: people registered for the event, through their own link
    ORGANISERS = "organisers"  #: the event's organisers only

    @property
    def label(self) -> str:
        return str(_VISIBILITY_LABELS[self])


_VISIBILITY_LABELS = {
    Visibility.PUBLIC: _l("Everyone"),
    Visibility.REGISTERED: _l("Registered attendees only"),
    Visibility.ORGANISERS: _l("Organisers only"),
}
