"""A programme's partners and funders, its people and its texts in other languages (/manage/programmes/<id>/...),
and an event's choice of contact persons (/manage/events/<id>/contacts). The programme's pages follow the
contact persons' rules: its creator and administrators, everyone else gets 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.errors import ValidationFailed
from eventapp.events.contacts import choose_event_contacts
from eventapp.extensions import db
from eventapp.formatting import language_name
from eventapp.manage.blueprint import attempt, bp, event_or_403, field_error
from eventapp.manage.programme_parts_forms import (
    CHOSEN,
    INHERIT,
    EventContactsForm,
    PartnerForm,
    PersonForm,
    ProgrammeTranslationForm,
)
from eventapp.manage.programme_views import _programme_or_403
from eventapp.programmes import organisation, translations
from eventapp.programmes.models import ContactPerson, Programme, ProgrammePartner, ProgrammePerson
from eventapp.registrations.forms import ConfirmForm
from eventapp.richtext import render_markdown


@dataclass(frozen=True)
class _Parts:
    """A list of a programme's rows with an add form and an edit page per row (partners and funders,
    people): its model, form, use cases, templates and the names of its routes."""

    model: type[ProgrammePartner] | type[ProgrammePerson]
    form: type[PartnerForm] | type[PersonForm]
    add: Callable[..., Any]
    update: Callable[..., Any]
    remove: Callable[..., Any]
    #: The list page's endpoint (``manage.programme_partners``) and the templates of both pages.
    endpoint: str
    list_template: str
    edit_template: str


PARTNERS = _Parts(ProgrammePartner, PartnerForm, organisation.add_partner, organisation.update_partner,
                  organisation.remove_partner, "manage.programme_partners", "manage/programme_partners.html",
                  "manage/programme_partner.html")  # fmt: skip
PEOPLE = _Parts(ProgrammePerson, PersonForm, organisation.add_person, organisation.update_person,
                organisation.remove_person, "manage.programme_people", "manage/programme_people.html",
                "manage/programme_person.html")  # fmt: skip


def _part_or_404(parts: _Parts, programme: Programme, part_id: int) -> Any:
    part: Any = db.session.get(parts.model, part_id)
    if part is None or part.programme_id != programme.id:
        abort(404)
    return part


def _status() -> int:
    return 400 if request.method == "POST" else 200


def _list(parts: _Parts, programme_id: int):
    """The list and a form to add a row; after adding, back to the list with "added"."""
    programme = _programme_or_403(programme_id)
    form = parts.form()
    if request.method == "POST" and form.validate():
        data = form.to_data()
        if attempt(form, lambda: parts.add(programme.id, data, actor=current_user)) is not None:
            return redirect(url_for(parts.endpoint, programme_id=programme.id, added=1), code=303)
        programme = _programme_or_403(programme_id)
    body = render_template(
        parts.list_template,
        programme=programme,
        form=form,
        added=request.args.get("added") == "1",
        removed=request.args.get("removed") == "1",
    )
    return body, _status()


def _edit(parts: _Parts, programme_id: int, part_id: int):
    programme = _programme_or_403(programme_id)
    part = _part_or_404(parts, programme, part_id)
    form = parts.form(obj=part)
    if request.method == "POST" and form.validate():
        data = form.to_data()
        if attempt(form, lambda: parts.update(part.id, data, actor=current_user)) is not None:
            return redirect(url_for(parts.endpoint, programme_id=programme.id), code=303)
    return render_template(parts.edit_template, programme=programme, form=form), _status()


def _remove(parts: _Parts, programme_id: int, part_id: int):
    programme = _programme_or_403(programme_id)
    part = _part_or_404(parts, programme, part_id)
    if not ConfirmForm().validate():
        abort(400)
    parts.remove(part.id, actor=current_user)
    return redirect(url_for(parts.endpoint, programme_id=programme.id, removed=1), code=303)


# --- partners and funders, people -----------------------------------------------------------------


@bp.route("/programmes/<int:programme_id>/partners", methods=["GET", "POST"])
def programme_partners(programme_id: int):
    """The programme's partners and funders, and a form to add one."""
    return _list(PARTNERS, programme_id)


@bp.route("/programmes/<int:programme_id>/partners/<int:partner_id>", methods=["GET", "POST"])
def programme_partner_edit(programme_id: int, partner_id: int):
    return _edit(PARTNERS, programme_id, partner_id)


@bp.post("/programmes/<int:programme_id>/partners/<int:partner_id>/remove")
def programme_partner_remove(programme_id: int, partner_id: int):
    return _remove(PARTNERS, programme_id, partner_id)


@bp.route("/programmes/<int:programme_id>/people", methods=["GET", "POST"])
def programme_people(programme_id: int):
    """The programme's project lead, board and steering group, and a form to add someone."""
    return _list(PEOPLE, programme_id)


@bp.route("/programmes/<int:programme_id>/people/<int:person_id>", methods=["GET", "POST"])
def programme_person_edit(programme_id: int, person_id: int):
    return _edit(PEOPLE, programme_id, person_id)


@bp.post("/programmes/<int:programme_id>/people/<int:person_id>/remove")
def programme_person_remove(programme_id: int, person_id: int):
    return _remove(PEOPLE, programme_id, person_id)


# --- language versions ---------------------------------------------------------------------------


@bp.route("/programmes/<int:programme_id>/translations", methods=["GET", "POST"])
def programme_translations(programme_id: int):
    """The programme's texts in the other languages, one language at a time (as an event's)."""
    programme = _programme_or_403(programme_id)
    languages = translations.languages_to_translate_into(programme)
    existing_all = translations.translations_of(programme.id)
    locale = request.values.get("into", "")  # not "lang": that chooses the page's own language
    if locale not in languages:
        locale = next((t.locale for t in existing_all), languages[0])
    existing = next((t for t in existing_all if t.locale == locale), None)
    form = ProgrammeTranslationForm(obj=existing) if request.method == "GET" else ProgrammeTranslationForm()
    previewing = "preview" in request.form
    if request.method == "POST" and not previewing and form.validate():
        try:
            translations.save_translation(programme.id, form.to_data(locale), actor=current_user)
        except ValidationFailed as exc:
            field_error(form, exc)
            programme = _programme_or_403(programme_id)
        else:
            url = url_for("manage.programme_translations", programme_id=programme.id, into=locale, saved=1)
            return redirect(url, code=303)
    failed = request.method == "POST" and not previewing
    body = render_template(
        "manage/programme_translations.html",
        programme=programme,
        form=form,
        locale=locale,
        languages=[(code, language_name(code)) for code in languages],
        translated={t.locale for t in existing_all},
        preview=render_markdown(form.description_md.data) if previewing else None,
        saved=request.args.get("saved") == "1",
    )
    return body, (400 if failed else 200)


# --- an event's contact persons --------------------------------------------------------------------


@bp.route("/events/<int:event_id>/contacts", methods=["GET", "POST"])
def event_contacts(event_id: int):
    """Whether the event shows all its programme's contact persons or only some of them."""
    event = event_or_403(event_id)
    programme = event.programme
    contacts: list[ContactPerson] = list(programme.contacts) if programme else []
    chosen = [c.id for c in event.chosen_contacts if programme and c.programme_id == programme.id]
    if request.method == "GET":
        form = EventContactsForm(contacts, data={"source": CHOSEN if chosen else INHERIT, "contacts": chosen})
    else:
        form = EventContactsForm(contacts)
    if request.method == "POST" and programme is not None and form.validate():
        ids = form.chosen_ids()
        if attempt(form, lambda: choose_event_contacts(event.id, ids, actor=current_user)) is not None:
            return redirect(url_for("manage.event_contacts", event_id=event.id, saved=1), code=303)
    body = render_template(
        "manage/event_contacts.html",
        event=event,
        programme=programme,
        form=form,
        saved=request.args.get("saved") == "1",
    )
    return body, (400 if request.method == "POST" else 200)
