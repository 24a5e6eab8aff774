"""An event's texts in other languages, written by the organisers."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import StringField, TextAreaField
from wtforms.validators import Length, Optional

from eventapp.errors import ValidationFailed
from eventapp.events import translations
from eventapp.events.models import Event, EventTranslation
from eventapp.events.translations import TranslationData
from eventapp.formatting import language_name
from eventapp.forms import FlaskForm
from eventapp.manage import translation_parts
from eventapp.manage.blueprint import bp, event_or_403, field_error
from eventapp.manage.translation_parts import QuestionFields, StatementFields, part_data
from eventapp.registrations import wording
from eventapp.richtext import render_markdown


class TranslationForm(FlaskForm):
    """The event's texts in one other language; ``translation_form`` adds its requirements and questions."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=300)])
    summary = StringField(_l("Summary"), validators=[Optional(), Length(max=500)])
    description_md = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=50_000)],
        description=_l("Markdown, as in the event's own description. Leave a field empty to show the original."),
        render_kw={"rows": 10},
    )

    #: The event's requirements and questions: (id, field name) and (id, ((part, field name), ...)).
    requirement_fields: StatementFields = ()
    question_fields: QuestionFields = ()


def translation_form(event: Event, translation: EventTranslation | None, *, submitted: bool) -> TranslationForm:
    """The translation form of ``event`` with a field for each participation requirement and for each
    sign-up question's label, hint and (choice questions) choices, filled from ``translation`` unless
    ``submitted``."""
    return translation_parts.translation_form(
        TranslationForm, event.requirements, event.custom_questions, translation, submitted=submitted
    )


@bp.route("/events/<int:event_id>/translations", methods=["GET", "POST"])
def translations_page(event_id: int):
    event = event_or_403(event_id, with_agenda=True)
    translations.load_translations(event)
    languages = translations.languages_to_translate_into(event)
    locale = request.values.get("into", "")  # not "lang": that chooses the page's own language
    if locale not in languages:
        locale = next((t.locale for t in event.translations), languages[0])
    existing = next((t for t in event.translations if t.locale == locale), None)
    form = translation_form(event, existing, submitted=request.method == "POST")
    item_titles = {
        item.id: (
            request.form.get(f"item_{item.id}", "")
            if request.method == "POST"
            else next((t.title for t in item.translations if t.locale == locale), "")
        )
        for item in event.agenda_items
    }
    item_errors: dict[int, str] = {}
    if request.method == "POST" and "preview" not in request.form and form.validate():
        try:
            statements, questions = part_data(form, form.requirement_fields, form.question_fields)
            data = TranslationData(
                locale=locale,
                title=form.title.data or "",
                summary=form.summary.data or "",
                description_md=form.description_md.data or "",
                item_titles=item_titles,
                parts=wording.translated_parts(event.requirements, event.custom_questions, statements, questions),
            )
            translations.save_translation(event.id, data, actor=current_user)
        except ValidationFailed as exc:
            if exc.field and exc.field.startswith("item_"):
                item_errors[int(exc.field[5:])] = exc.message
            else:
                field_error(form, exc)
        else:
            return redirect(url_for("manage.translations_page", event_id=event.id, into=locale, saved=1), code=303)
    failed = request.method == "POST" and "preview" not in request.form
    preview = render_markdown(form.description_md.data) if "preview" in request.form else None
    body = render_template(
        "manage/translations.html",
        event=event,
        form=form,
        locale=locale,
        languages=[(code, language_name(code)) for code in languages],
        translated={t.locale for t in event.translations},
        item_titles=item_titles,
        item_errors=item_errors,
        preview=preview,
        saved=request.args.get("saved") == "1",
    )
    return body, (400 if failed else 200)
