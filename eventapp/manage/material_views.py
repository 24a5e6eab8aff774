"""An event's materials in the back office: the list in the order the event page shows them, adding
recordings, boards, links and files, editing, new versions, withdrawing, deleting, reordering, publishing
(with the follow-up mail), and downloading every version."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import NotAllowed, NotFound, ValidationFailed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.manage.blueprint import attempt, bp, event_or_403, field_error
from eventapp.manage.material_forms import (
    EditMaterialForm,
    FileMaterialForm,
    LinkMaterialForm,
    MoveForm,
    VersionForm,
)
from eventapp.materials import queries as material_queries
from eventapp.materials import services as material_services
from eventapp.materials.downloads import PRIVATE_CACHE, file_response
from eventapp.materials.models import Material
from eventapp.materials.queries import FOR_ATTENDEES
from eventapp.registrations.forms import ConfirmForm


def _choices(event: Event) -> dict[str, Any]:
    return {"items": event.agenda_items, "speakers": event.speakers, "zone": event.tzinfo}


def _material_or_404(event: Event, material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None or material.event_id != event.id:
        abort(404)
    return material


def _expired() -> None:
    abort(400, _("The form had expired. Please try again."))


def _render_list(event: Event, *, link_form: LinkMaterialForm | None = None,
                 file_form: FileMaterialForm | None = None, status: int = 200):  # fmt: skip
    listing = material_queries.managed_materials(event)
    body = render_template(
        "manage/materials.html",
        event=event,
        listing=listing,
        groups={m.id: material_queries.group_of(m) for m in listing.materials},
        items={item.id: item for item in event.agenda_items},
        confirmed=material_queries.confirmed_count(event.id),
        link_form=link_form or LinkMaterialForm(formdata=None, **_choices(event)),
        file_form=file_form or FileMaterialForm(formdata=None, **_choices(event)),
        confirm_form=ConfirmForm(),
        done=request.args.get("done", ""),
        mailed=request.args.get("mailed", type=int),
    )
    return body, status


def _back(event: Event, done: str, material_id: int | None = None, **args: Any):
    anchor = f"material-{material_id}" if material_id else None
    return redirect(url_for("manage.materials", event_id=event.id, done=done, _anchor=anchor, **args), code=303)


@bp.get("/events/<int:event_id>/materials")
def materials(event_id: int):
    event = event_or_403(event_id, with_agenda=True)
    return _render_list(event)


@bp.post("/events/<int:event_id>/materials/links")
def material_add_link(event_id: int):
    event = event_or_403(event_id, with_agenda=True)
    form = LinkMaterialForm(**_choices(event))
    if form.validate():
        material = attempt(form, lambda: material_services.create_link_material(event.id, form.to_data(),
                                                                                actor=current_user))  # fmt: skip
        if material is not None:
            return _back(event, "added", material.id)
        event = event_or_403(event_id, with_agenda=True)
    return _render_list(event, link_form=form, status=400)


@bp.post("/events/<int:event_id>/materials/files")
def material_add_file(event_id: int):
    event = event_or_403(event_id, with_agenda=True)
    form = FileMaterialForm(**_choices(event))
    if form.validate():
        material = attempt(form, lambda: material_services.create_file_material(
            event.id, form.to_data(), form.upload(), actor=current_user))  # fmt: skip
        if material is not None:
            return _back(event, "added", material.id)
        event = event_or_403(event_id, with_agenda=True)
    return _render_list(event, file_form=form, status=400)


def _render_edit(event: Event, material: Material, *, form: EditMaterialForm | None = None,
                 version_form: VersionForm | None = None, status: int = 200):  # fmt: skip
    if form is None:
        form = EditMaterialForm(formdata=None, obj=material, material=material, **_choices(event))
        form.visibility.data = material.visibility.value
    listing = material_queries.managed_materials(event)
    return render_template(
        "manage/material_edit.html",
        event=event,
        material=material,
        form=form,
        version_form=version_form or VersionForm(formdata=None),
        confirm_form=ConfirmForm(),
        listing=listing,
        items={item.id: item for item in event.agenda_items},
    ), status


@bp.route("/events/<int:event_id>/materials/<int:material_id>/edit", methods=["GET", "POST"])
def material_edit(event_id: int, material_id: int):
    event = event_or_403(event_id, with_agenda=True)
    material = _material_or_404(event, material_id)
    if request.method == "GET":
        return _render_edit(event, material)
    form = EditMaterialForm(material=material, **_choices(event))
    if form.validate():
        saved = attempt(form, lambda: material_services.edit_material(material.id, form.to_data(), actor=current_user,
                                                                      event_id=event.id))  # fmt: skip
        if saved is not None:
            return _back(event, "saved", material.id)
        event = event_or_403(event_id, with_agenda=True)
        material = _material_or_404(event, material_id)
    return _render_edit(event, material, form=form, status=400)


@bp.post("/events/<int:event_id>/materials/<int:material_id>/versions")
def material_version(event_id: int, material_id: int):
    event = event_or_403(event_id, with_agenda=True)
    material = _material_or_404(event, material_id)
    form = VersionForm()
    if form.validate():
        version = attempt(form, lambda: material_services.add_material_version(
            material.id, form.upload(), actor=current_user, event_id=event.id))  # fmt: skip
        if version is not None:
            return _back(event, "uploaded", material.id)
        event = event_or_403(event_id, with_agenda=True)
        material = _material_or_404(event, material_id)
    return _render_edit(event, material, version_form=form, status=400)


@bp.post("/events/<int:event_id>/materials/<int:material_id>/withdraw")
def material_withdraw(event_id: int, material_id: int):
    event = event_or_403(event_id)
    material = _material_or_404(event, material_id)
    if not ConfirmForm().validate():
        _expired()
    try:
        material_services.withdraw_material(material.id, actor=current_user, event_id=event.id)
    except NotAllowed as exc:
        abort(409, exc.message)
    return _back(event, "withdrawn", material.id)


@bp.post("/events/<int:event_id>/materials/<int:material_id>/move")
def material_move(event_id: int, material_id: int):
    event = event_or_403(event_id)
    material = _material_or_404(event, material_id)
    form = MoveForm()
    if not form.validate():
        abort(400, _("Choose whether to move it up or down."))
    material_services.move_material(material.id, form.direction.data, actor=current_user, event_id=event.id)
    return _back(event, "moved", material.id)


@bp.route("/events/<int:event_id>/materials/<int:material_id>/remove", methods=["GET", "POST"])
def material_remove(event_id: int, material_id: int):
    """Deleting asks first (GET shows what goes, with every version); POST deletes."""
    event = event_or_403(event_id)
    material = _material_or_404(event, material_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate():
            _expired()
        try:
            material_services.delete_material(material.id, actor=current_user, event_id=event.id)
        except NotFound:
            abort(404)
        return _back(event, "deleted")
    return render_template("manage/material_remove.html", event=event, material=material, form=form)


@bp.route("/events/<int:event_id>/materials/publish", methods=["GET", "POST"])
def materials_publish(event_id: int):
    """Publishing asks first: how many confirmed attendees get the follow-up mail, and what they see."""
    event = event_or_403(event_id, with_agenda=True)
    form = ConfirmForm()
    status = 200
    if request.method == "POST":
        if form.validate():
            try:
                result = material_services.publish_materials(event.id, actor=current_user)
            except ValidationFailed as exc:
                db.session.rollback()
                field_error(form, exc)
                status = 409
            else:
                return _back(event, "published", mailed=result.mailed)
            event = event_or_403(event_id, with_agenda=True)
        else:
            status = 400
    listing = material_queries.managed_materials(event)
    return render_template(
        "manage/materials_publish.html",
        event=event,
        form=form,
        confirmed=material_queries.confirmed_count(event.id),
        shown=[m for m in listing.materials if material_queries.is_shown(m, FOR_ATTENDEES)],
        hidden=[m for m in listing.materials if not material_queries.is_shown(m, FOR_ATTENDEES)],
    ), status


@bp.post("/events/<int:event_id>/materials/unpublish")
def materials_unpublish(event_id: int):
    event = event_or_403(event_id)
    if not ConfirmForm().validate():
        _expired()
    material_services.unpublish_materials(event.id, actor=current_user)
    return _back(event, "unpublished")


@bp.get("/events/<int:event_id>/materials/files/<int:file_id>")
def material_file(event_id: int, file_id: int):
    """Any version of any of the event's files, whatever its state (for the event's organisers only)."""
    event = event_or_403(event_id)
    found = material_queries.download(file_id)
    if found is None or found.event.id != event.id:
        abort(404)
    return file_response(found, cache=PRIVATE_CACHE)
