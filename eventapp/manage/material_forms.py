"""Back-office forms for an event's materials."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectField, StringField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, Optional

from eventapp.agenda.models import AgendaItem
from eventapp.formatting import clock
from eventapp.forms import FlaskForm
from eventapp.materials import filetypes
from eventapp.materials.enums import MaterialKind, Visibility
from eventapp.materials.links import URL_MAX
from eventapp.materials.models import Material
from eventapp.materials.services import TITLE_MAX, MaterialData
from eventapp.materials.uploads import Upload
from eventapp.speakers.models import Speaker

LINK_KINDS = (MaterialKind.RECORDING, MaterialKind.BOARD, MaterialKind.LINK)
FILE_KINDS = (MaterialKind.DOCUMENT, MaterialKind.SLIDES)
#: What the file chooser offers first (the bytes decide what is accepted).
ACCEPT = ",".join(f".{t.extension}" for t in filetypes.DOCUMENT_TYPES)
_TOO_LONG_URL = _l("The address is longer than %(max)d characters. Please use a shorter link (many sites offer "
                   "a short “share” link).")  # fmt: skip
_TOO_LONG_TITLE = _l("The title is longer than %(max)d characters.")


def _optional_id(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1  # not a choice: the field says so


def _upload_hint() -> str:
    return str(_l("PDF, PowerPoint, Keynote, OpenDocument, Word or Excel, up to %(mb)s MB.",
                  mb=current_app.config["MAX_UPLOAD_MB"]))  # fmt: skip


class _Placement:
    """The fields every material has: where it belongs and who sees it."""

    agenda_item_id = SelectField(_l("Agenda item (optional)"), coerce=_optional_id)
    speaker_id = SelectField(_l("Speaker (optional)"), coerce=_optional_id)
    visibility = RadioField(_l("Who may see it"), default=Visibility.PUBLIC.value,
                            validators=[InputRequired(message=_l("Choose who may see it."))])  # fmt: skip
    published = BooleanField(
        _l("Published: show it once the event's materials are published"),
        default=True,
        description=_l("Switch it off to keep it as a draft that only organisers see."),
    )

    def _fill_choices(self, items: list[AgendaItem], speakers: list[Speaker], zone: Any) -> None:
        none = SelectChoice("", str(_l("None")))
        self.agenda_item_id.choices = [none] + [  # type: ignore[attr-defined]
            SelectChoice(item.id, f"{clock(item.starts_at.astimezone(zone))} {item.title}") for item in items
        ]
        self.speaker_id.choices = [none] + [  # type: ignore[attr-defined]
            SelectChoice(s.id, f"{s.name} ({s.byline})" if s.byline else s.name) for s in speakers
        ]
        self.visibility.choices = [SelectChoice(v.value, v.label) for v in Visibility]  # type: ignore[attr-defined]

    def _placement(self) -> dict[str, Any]:
        return {
            "agenda_item_id": self.agenda_item_id.data,  # type: ignore[attr-defined]
            "speaker_id": self.speaker_id.data,  # type: ignore[attr-defined]
            "visibility": Visibility(self.visibility.data),  # type: ignore[attr-defined]
            "published": bool(self.published.data),  # type: ignore[attr-defined]
        }


class LinkMaterialForm(_Placement, FlaskForm):
    """Add a recording, a digital board or a link."""

    kind = RadioField(_l("What is it?"), default=MaterialKind.RECORDING.value,
                      validators=[InputRequired(message=_l("Choose what it is."))])  # fmt: skip
    title = StringField(_l("Title"), validators=[InputRequired(message=_l("Give the material a title, as the event "
                                                                          "page should show it.")),
                                                 Length(max=TITLE_MAX, message=_TOO_LONG_TITLE)])  # fmt: skip
    url = URLField(
        _l("Address (https://…)"),
        validators=[
            InputRequired(message=_l("Give the address. It starts with https://.")),
            Length(max=URL_MAX, message=_TOO_LONG_URL),
        ],
        description=_l(
            "YouTube and Vimeo recordings get a player on the event page; Padlet, Miro and other addresses are linked."
        ),
        render_kw={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"},
    )

    def __init__(self, *args: Any, items: list[AgendaItem], speakers: list[Speaker], zone: Any, **kwargs: Any):
        super().__init__(*args, prefix="link", **kwargs)
        self.kind.choices = [SelectChoice(k.value, k.label) for k in LINK_KINDS]
        self._fill_choices(items, speakers, zone)

    def to_data(self) -> MaterialData:
        return MaterialData(kind=MaterialKind(self.kind.data), title=self.title.data or "", url=self.url.data or "",
                            **self._placement())  # fmt: skip


class FileMaterialForm(_Placement, FlaskForm):
    """Upload a document or slides."""

    kind = RadioField(_l("What is it?"), default=MaterialKind.DOCUMENT.value,
                      validators=[InputRequired(message=_l("Choose what it is."))])  # fmt: skip
    file = FileField(_l("File"), validators=[FileRequired(message=_l("Choose the file to upload."))],
                     render_kw={"accept": ACCEPT})  # fmt: skip
    title = StringField(
        _l("Title (optional: the file's name if empty)"),
        validators=[Optional(), Length(max=TITLE_MAX, message=_TOO_LONG_TITLE)],
    )

    def __init__(self, *args: Any, items: list[AgendaItem], speakers: list[Speaker], zone: Any, **kwargs: Any):
        super().__init__(*args, prefix="file", **kwargs)
        self.kind.choices = [SelectChoice(k.value, k.label) for k in FILE_KINDS]
        self.file.description = _upload_hint()
        self._fill_choices(items, speakers, zone)

    def to_data(self) -> MaterialData:
        return MaterialData(kind=MaterialKind(self.kind.data), title=self.title.data or "", **self._placement())

    def upload(self) -> Upload:
        return Upload(stream=self.file.data.stream, filename=self.file.data.filename or "")


class EditMaterialForm(_Placement, FlaskForm):
    """Change a material (its kind stays; files get new versions through VersionForm)."""

    title = StringField(_l("Title"), validators=[InputRequired(message=_l("Give the material a title, as the event "
                                                                          "page should show it.")),
                                                 Length(max=TITLE_MAX, message=_TOO_LONG_TITLE)])  # fmt: skip
    url = URLField(
        _l("Address (https://…)"),
        validators=[
            InputRequired(message=_l("Give the address. It starts with https://.")),
            Length(max=URL_MAX, message=_TOO_LONG_URL),
        ],
        render_kw={"inputmode": "url", "autocomplete": "off", "spellcheck": "false"},
    )

    def __init__(self, *args: Any, material: Material, items: list[AgendaItem], speakers: list[Speaker], zone: Any,
                 **kwargs: Any):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.kind = material.kind
        if material.kind.has_file:
            del self.url
        self._fill_choices(items, speakers, zone)

    def to_data(self) -> MaterialData:
        url = (self.url.data or "") if "url" in self._fields else ""
        return MaterialData(kind=self.kind, title=self.title.data or "", url=url, **self._placement())


class VersionForm(FlaskForm):
    """Upload a newer version of a material's file."""

    file = FileField(_l("New version of the file"), validators=[FileRequired(message=_l("Choose the file to "
                                                                                        "upload."))],
                     render_kw={"accept": ACCEPT})  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="version", **kwargs)
        self.file.description = _upload_hint()

    def upload(self) -> Upload:
        return Upload(stream=self.file.data.stream, filename=self.file.data.filename or "")


class MoveForm(FlaskForm):
    """One place up or down (the buttons send ``direction``)."""

    direction = StringField(validators=[InputRequired(), AnyOf(["up", "down"])])
