"""The sign-up's and the call's checklist statements and questions in other languages.

An event's participation requirements and sign-up questions, and a call's checklist and questions, are
written in the event's or call's own language. The organiser may word them in the other languages the
service speaks, beside the title and description, on the Languages page; the translation row keeps them as
``parts`` (JSON, by id: ``{"requirements": {"<id>": text}, "questions": {"<id>": {"label", "help_text",
"choices"}}}``, choices one per line in the original's order). A reader sees each part in their language
where it is given and the original, marked with its ``lang``, where it is not. A translated choice is only
a label: the answer stored is always the original choice, so lists, reviews and exports stay in one
language.

This module holds the rules both use (events and calls stand on either side of registrations, so the
rules live here): what may be stored (``translated_parts``) and what a reader sees (``requirement_in``,
``question_in``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from eventapp.errors import ValidationFailed
from eventapp.events.models import Event
from eventapp.registrations.enums import QuestionKind
from eventapp.registrations.questions import CHOICE_KINDS

#: Longest translated statement and question parts (as the originals' columns).
PART_LIMITS = {"requirement": 500, "label": 300, "help_text": 500, "choices": 5_000}


class Statement(Protocol):
    """A participation requirement or a call's checklist statement."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...


class Question(Protocol):
    """A sign-up question or a call's question."""

    @property
    def id(self) -> int: ...
    @property
    def kind(self) -> QuestionKind: ...
    @property
    def label(self) -> str: ...
    @property
    def help_text(self) -> str: ...
    @property
    def choice_list(self) -> list[str]: ...


@dataclass(frozen=True)
class QuestionTranslationData:
    label: str = ""
    help_text: str = ""
    #: One line per choice, in the original's order (choice questions only).
    choices: str = ""


@dataclass(frozen=True)
class QuestionText:
    """A question as one reader reads it: label, hint and the label of each choice (in the order of the
    original choices, which stay the stored answers), with the language of the label and of the choices
    (for ``lang`` attributes)."""

    label: str
    help_text: str
    choice_labels: tuple[str, ...]
    lang: str
    choices_lang: str
    help_lang: str = ""

    def on_page(self, page: str) -> QuestionText:
        """The texts as a page in ``page``'s language shows them: each in another language inside a span
        with its ``lang`` (``marked``), so the page's own words around them (the "(required)" marker, an
        error) keep the page's language."""
        return QuestionText(
            label=marked(self.label, self.lang, page),
            help_text=marked(self.help_text, self.help_lang or self.lang, page),
            choice_labels=tuple(marked(choice, self.choices_lang, page) for choice in self.choice_labels),
            lang=page,
            choices_lang=page,
            help_lang=page,
        )


def marked(text: str, lang: str, page: str) -> str:
    """``text`` as it goes into a page in ``page``'s language: itself, or, in another language, as markup
    with its ``lang`` (the text escaped) for a screen reader to pronounce it right (WCAG 3.1.2)."""
    if lang == page or not text:
        return text
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def translated_parts(
    statements: Iterable[Statement],
    questions: Iterable[Question],
    statement_texts: Mapping[int, str],
    question_texts: Mapping[int, QuestionTranslationData],
) -> dict[str, Any]:
    """The translated statements and questions as stored (``parts``), the empty ones left out. Raises
    ValidationFailed (field ``requirement_<id>`` or ``question_<id>_<part>``) for a part too long or choices
    that are not one line per original choice, and (no field) for a statement or question that is gone."""
    by_id = {s.id: s for s in statements}
    asked = {q.id: q for q in questions}
    if set(statement_texts) - set(by_id) or set(question_texts) - set(asked):
        raise ValidationFailed(None, _l("The checklist or the questions changed while you were translating. "
                                        "Please try again."))  # fmt: skip
    parts: dict[str, Any] = {}
    for statement_id, text in statement_texts.items():
        text = text.strip()
        if len(text) > PART_LIMITS["requirement"]:
            raise ValidationFailed(f"requirement_{statement_id}",
                                   _l("At most %(max)d characters.", max=PART_LIMITS["requirement"]))  # fmt: skip
        if text:
            parts.setdefault("requirements", {})[str(statement_id)] = text
    for question_id, texts in question_texts.items():
        question = asked[question_id]
        stored: dict[str, str] = {}
        for name in ("label", "help_text", "choices"):
            value = getattr(texts, name).strip()
            if len(value) > PART_LIMITS[name]:
                raise ValidationFailed(f"question_{question_id}_{name}",
                                       _l("At most %(max)d characters.", max=PART_LIMITS[name]))  # fmt: skip
            if name == "choices":
                if question.kind not in CHOICE_KINDS:
                    continue
                lines = [line.strip() for line in value.splitlines() if line.strip()]
                if lines and len(lines) != len(question.choice_list):
                    raise ValidationFailed(f"question_{question_id}_choices", _l(
                        "Give one line for each of the %(count)d choices, in the same order as the original.",
                        count=len(question.choice_list)))  # fmt: skip
                value = "\n".join(lines)
            if value:
                stored[name] = value
        if stored:
            parts.setdefault("questions", {})[str(question_id)] = stored
    return parts


def statement_text(parts: Mapping[str, Any] | None, statement_id: int) -> str:
    """The stored translation of a statement ("" when none)."""
    return str((parts or {}).get("requirements", {}).get(str(statement_id), ""))


def question_texts(parts: Mapping[str, Any] | None, question_id: int) -> dict[str, str]:
    """The stored translation of a question's parts, by part ("label", "help_text", "choices")."""
    texts = (parts or {}).get("questions", {}).get(str(question_id), {})
    return {key: str(value) for key, value in texts.items()} if isinstance(texts, dict) else {}


def requirement_in(parts: Mapping[str, Any] | None, statement: Statement, locale: str, own: str) -> tuple[str, str]:
    """(the statement, its language) in ``locale`` where ``parts`` (that language's) word it, else in the
    original language ``own``."""
    translated = statement_text(parts, statement.id) if parts is not None else ""
    return (translated, locale) if translated else (statement.text, own)


def question_in(parts: Mapping[str, Any] | None, question: Question, locale: str, own: str) -> QuestionText:
    """A question's label, hint and choice labels in ``locale`` where ``parts`` (that language's) word them;
    each part that is not, in the original language ``own``."""
    original = QuestionText(question.label, question.help_text, tuple(question.choice_list), own, own, own)
    if parts is None:
        return original
    texts = question_texts(parts, question.id)
    label = texts.get("label", "")
    choices = [line.strip() for line in texts.get("choices", "").splitlines() if line.strip()]
    choices_given = bool(choices) and len(choices) == len(original.choice_labels)
    help_text = texts.get("help_text", "")
    return QuestionText(
        label=label or original.label,
        help_text=help_text or original.help_text,
        choice_labels=tuple(choices) if choices_given else original.choice_labels,
        lang=locale if label else own,
        choices_lang=locale if choices_given else own,
        help_lang=locale if help_text else own,
    )


class Worded:
    """Statements and questions as one reader reads them: in ``locale`` where ``parts`` (that language's
    translation) word them, else in the original language ``own``."""

    def __init__(self, parts: Mapping[str, Any] | None, locale: str, own: str) -> None:
        self.parts, self.locale, self.own = parts, locale, own

    def requirement(self, statement: Statement) -> tuple[str, str]:
        return requirement_in(self.parts, statement, self.locale, self.own)

    def question(self, question: Question) -> QuestionText:
        return question_in(self.parts, question, self.locale, self.own)


def event_wording(event: Event, locale: str) -> Worded:
    """An event's participation requirements and sign-up questions as a reader of ``locale`` reads them.
    Reads the event's translations only when it has something to word and ``locale`` is not its own."""
    parts = None
    if locale != event.language and (event.requirements or event.custom_questions):
        parts = next((t.parts for t in event.translations if t.locale == locale), None)
    return Worded(parts, locale, event.language)
