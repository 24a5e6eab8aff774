"""The forms of the speaker portal (and the organisers' upload on a speaker's behalf)."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from eventapp.forms import FlaskForm
from eventapp.materials import uploads
from eventapp.speakers.services import BIO_MAX, JOB_TITLE_MAX, NAME_MAX, ORGANISATION_MAX

#: What the file chooser offers first (the server decides by the bytes, whatever the name).
ACCEPT = ".pdf,.pptx,.ppt,.odp,.key"


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class ProfileForm(FlaskForm):
    """A speaker's name, title, organisation and short biography as the agenda shows them."""

    name = StringField(
        _l("Name"),
        validators=[DataRequired(message=_l("Please enter your name as it should appear on the agenda.")),
                    Length(max=NAME_MAX)],
        filters=[_strip],
        render_kw={"autocomplete": "name", "maxlength": NAME_MAX},
    )  # fmt: skip
    job_title = StringField(
        _l("Job title (optional)"),
        validators=[Optional(), Length(max=JOB_TITLE_MAX)],
        render_kw={"autocomplete": "organization-title", "maxlength": JOB_TITLE_MAX},
    )
    organisation = StringField(
        _l("Organisation (optional)"),
        validators=[Optional(), Length(max=ORGANISATION_MAX)],
        render_kw={"autocomplete": "organization", "maxlength": ORGANISATION_MAX},
    )
    bio = TextAreaField(
        _l("Short biography (optional)"),
        description=_l("A few sentences in plain text, at most 2,000 characters."),
        validators=[Optional(), Length(max=BIO_MAX)],
        render_kw={"rows": 5, "maxlength": BIO_MAX},
    )


class SlidesForm(FlaskForm):
    """One file of slides for one agenda item. Several are on a page, so each gets its own field id."""

    file = FileField(
        _l("Slides file"),
        validators=[FileRequired(message=_l("Please choose the file with your slides."))],
        render_kw={"accept": ACCEPT},
    )

    def for_item(self, key: int | str, *, replacing: bool) -> SlidesForm:
        """Give the field an id of its own on the page (``file-<key>``), its label, and the limits stated up
        front."""
        self.file.id = f"file-{key}"
        self.file.label.field_id = self.file.id
        self.file.label.text = str(_l("Replace with a new file") if replacing else _l("Slides file"))
        self.file.description = str(_l("PDF, PowerPoint (pptx, ppt), OpenDocument (odp) or Keynote (key), at most "
                                       "%(mb)s MB.", mb=current_app.config["MAX_UPLOAD_MB"]))  # fmt: skip
        return self


def upload_limits() -> dict[str, object]:
    """What the upload forms tell the browser, so a file over the limit is refused before it is sent."""
    return {"max_bytes": uploads.max_upload_bytes(), "too_large": uploads.too_large_message()}
