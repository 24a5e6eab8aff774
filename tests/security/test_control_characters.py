"""Every text field of every form refuses control characters (issue 11 item 1, issue 12 item 3).

The walk finds every form class in eventapp, binds its fields the way the class itself does (through its
own ``Meta``), and posts hostile text to each text field. A new form, or a new field on an old one, is
covered without being listed here.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest
import wtforms
from werkzeug.datastructures import MultiDict
from wtforms import StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.form import BaseForm

import eventapp
from eventapp import forms as base_forms
from eventapp.controlchars import first_forbidden, without_control_characters

#: What must be refused everywhere: each is text a person never types but a paste or a probe delivers.
REFUSED_EVERYWHERE = [
    "Eve\x07",
    "\x1b[31mred",
    "tab\x0bvertical",
    "form\x0cfeed",
    "delete\x7f",
    "next\x85line",
    "line\u2028separator",
    "paragraph\u2029separator",
    "evil\u202egnp.exe",
    "isolate\u2066x\u2069",
]
#: Refused on one line, fine in a text area.
LINE_BREAKS = ["Eve\r\nBcc: x@evil.example\r\nX-Injected: yes", "a\nb", "a\rb", "a\tb"]
#: Ordinary text, refused nowhere.
ORDINARY = ["Ærlig Åsmund Øvrebø", "Päivi Hämäläinen 🎉", "שלום\u200f עולם", "Ada\u200dLovelace"]


def _all_form_classes() -> list[type[wtforms.Form]]:
    for module in pkgutil.walk_packages(eventapp.__path__, "eventapp."):
        importlib.import_module(module.name)
    found, todo = [], [wtforms.Form]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("eventapp.") and cls not in (base_forms.FlaskForm, base_forms.Form):
            found.append(cls)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


FORM_CLASSES = _all_form_classes()


def _bind(form_class: type[wtforms.Form], data: dict[str, str]) -> BaseForm:
    """The form's fields, bound through the class's own Meta chain (as instantiating it would), with ``data``
    posted and validated: CSRF is left out (it is not what is tested here), every other field is as the class
    has it."""
    metas = tuple(c.__dict__["Meta"] for c in form_class.__mro__ if "Meta" in c.__dict__)
    meta = type("Meta", metas, {})()
    meta.csrf = False
    fields = [(name, value) for name in dir(form_class) if isinstance(value := getattr(form_class, name), UnboundField)]
    form = BaseForm(fields, meta=meta)
    form.process(MultiDict(data))
    for name in data:
        form[name].validate(form)
    return form


def _text_fields(form_class: type[wtforms.Form]) -> dict[str, bool]:
    """Name -> multi-line, of every field of the class that takes text."""
    fields = {}
    for name in dir(form_class):
        value = getattr(form_class, name)
        if isinstance(value, UnboundField) and issubclass(value.field_class, StringField):
            fields[name] = issubclass(value.field_class, TextAreaField)
    return fields


def test_the_walk_finds_the_forms_people_fill_in():
    names = {cls.__name__ for cls in FORM_CLASSES}

    assert {"RegistrationForm", "DetailsForm", "ProfileForm", "SpeakerForm", "MailingForm", "EventForm",
            "ProgrammeForm", "NewAccountForm", "AccountForm", "CatalogueFilterForm", "QuestionForm",
            "TranslationForm", "LinkMaterialForm"} <= names  # fmt: skip
    assert sum(len(_text_fields(cls)) for cls in FORM_CLASSES) >= 60


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_form_is_built_on_the_base_that_refuses_control_characters(form_class):
    assert issubclass(form_class, base_forms.FlaskForm | base_forms.Form)


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_every_text_field_refuses_control_characters(app, form_class):
    fields = _text_fields(form_class)
    with app.test_request_context("/"):
        for value in REFUSED_EVERYWHERE + LINE_BREAKS:
            form = _bind(form_class, dict.fromkeys(fields, value))
            for name, multiline in fields.items():
                expected = base_forms.MULTI_LINE_MESSAGE if multiline else base_forms.SINGLE_LINE_MESSAGE
                if multiline and value in LINE_BREAKS:
                    assert str(expected) not in form[name].errors, (form_class.__name__, name, value)
                else:
                    assert form[name].errors == [str(expected)], (form_class.__name__, name, value)


@pytest.mark.parametrize("form_class", FORM_CLASSES, ids=lambda c: c.__name__)
def test_ordinary_text_in_any_language_is_never_refused_for_its_characters(app, form_class):
    fields = _text_fields(form_class)
    messages = {str(base_forms.SINGLE_LINE_MESSAGE), str(base_forms.MULTI_LINE_MESSAGE)}
    with app.test_request_context("/"):
        for value in ORDINARY:
            form = _bind(form_class, dict.fromkeys(fields, value))
            for name in fields:
                assert not messages & set(form[name].errors), (form_class.__name__, name, value)


def test_the_rule_itself():
    assert first_forbidden("Eve\r\nBcc: x") == "\r"
    assert first_forbidden("a\r\nb\tc", multiline=True) is None
    assert first_forbidden("a\x0bb", multiline=True) == "\x0b"
    assert first_forbidden("Åse \u200fאבג\u200e 😀") is None
    assert without_control_characters("Ber\x00gen\u202e\n") == "Bergen"


def test_create_organiser_refuses_a_name_with_control_characters(app):
    from sqlalchemy import func, select

    from eventapp.accounts.models import User
    from eventapp.extensions import db

    result = app.test_cli_runner().invoke(
        args=["create-organiser", "kari@example.org", "--name", "Kari\r\nBcc: x@evil.example", "--password", "x" * 12]
    )

    assert result.exit_code == 2
    assert "must be one line of ordinary text (it holds the control character U+000D)" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0
