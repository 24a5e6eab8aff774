"""Materials of the demo's past webinar, as the real programme's webinar page had them: the recording,
each speaker's slides (small real PDFs made here and stored through the upload rules), the digital board
and a summary, all published, so the first page a newcomer opens shows an event's whole lifecycle.

The video id and the board's address are invented: the player and the board answer "not found" once
someone clicks them (nothing is loaded from either site before that click).
"""

from __future__ import annotations

import io
from datetime import timedelta

from eventapp.agenda.enums import AgendaItemKind
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.models import Material
from eventapp.materials.pdf import tiny_pdf
from eventapp.materials.uploads import Upload, add_version

#: An invented YouTube id, played through youtube-nocookie.com only after a click.
RECORDING_URL = "https://www.youtube-nocookie.com/embed/dEm0Webin4r"
#: An invented Padlet board.
BOARD_URL = "https://padlet.com/eventapp-demo/markedsdialog-i-praksis"

#: The webinar whose materials these are.
WEBINAR_SLUG = "markedsdialog-i-praksis"


def _file_name(title: str) -> str:
    plain = title.translate(str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"}))
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split()) + ".pdf"


def add_webinar_materials(event: Event) -> list[str]:
    """Give the demo webinar (new, in this session, not yet committed) its published materials. Flushes to
    get the speakers' and agenda items' ids; the caller commits (and on failure forgets the returned
    hashes of the stored files, see ``uploads.forget_unless_used``)."""
    db.session.flush()
    stored: list[str] = []
    position = 0

    def material(kind: MaterialKind, title: str, **columns) -> Material:
        nonlocal position
        row = Material(event_id=event.id, kind=kind, title=title, visibility=Visibility.PUBLIC, published=True,
                       position=position, **columns)  # fmt: skip
        position += 1
        db.session.add(row)
        return row

    material(MaterialKind.RECORDING, "Opptak av webinaret", url=RECORDING_URL)
    for item in event.agenda_items:
        for speaker in item.speakers if item.kind is AgendaItemKind.TALK else ():
            slides = material(MaterialKind.SLIDES, item.title, agenda_item_id=item.id, speaker_id=speaker.id)
            pdf = tiny_pdf(item.title, speaker.name, speaker.organisation, event.title)
            version = add_version(slides, Upload(io.BytesIO(pdf), _file_name(item.title)), by_speaker=speaker)
            version.uploaded_at = event.ends_at + timedelta(hours=2)
            stored.append(version.sha256)
    material(MaterialKind.BOARD, "Den digitale tavla: spørsmål og svar fra webinaret", url=BOARD_URL)
    summary = material(MaterialKind.DOCUMENT, "Oppsummering fra webinaret")
    pdf = tiny_pdf("Oppsummering", event.title, "Spørsmålene fra chatten, svarene og lenker til veilederne")
    stored.append(add_version(summary, Upload(io.BytesIO(pdf), "Oppsummering.pdf")).sha256)
    event.materials_published_at = event.ends_at + timedelta(days=1)
    return stored
