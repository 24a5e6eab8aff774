"""Programmes in the back office (/manage/programmes): any organiser creates one; its creator and
administrators edit it (``can_manage_programme``), everyone else gets 403."""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.events.queries import manageable_programmes_with_event_counts, programme_has_public_events
from eventapp.extensions import db
from eventapp.manage.blueprint import attempt, bp
from eventapp.manage.programme_forms import ContactForm, ProgrammeForm
from eventapp.programmes import services
from eventapp.programmes.models import ContactPerson, Programme
from eventapp.programmes.permissions import can_manage_programme
from eventapp.registrations.forms import ConfirmForm
from eventapp.richtext import render_markdown


def _programme_or_403(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    if not can_manage_programme(current_user, programme):
        abort(403)
    return programme


def _render_form(form: ProgrammeForm, programme: Programme | None, status: int, **extra: object):
    preview = render_markdown(form.description_md.data) if "preview" in request.form else None
    body = render_template("manage/programme_form.html", form=form, programme=programme, preview=preview, **extra)
    return body, status


@bp.get("/programmes")
def programmes():
    return render_template("manage/programmes.html", rows=manageable_programmes_with_event_counts(current_user))


@bp.route("/programmes/new", methods=["GET", "POST"])
def programme_new():
    form = ProgrammeForm()
    saving = request.method == "POST" and "preview" not in request.form
    if saving and form.validate():
        data = form.to_data()
        programme = attempt(form, lambda: services.create_programme(data, actor=current_user))
        if programme:
            return redirect(url_for("manage.programme_edit", programme_id=programme.id, created=1), code=303)
    return _render_form(form, None, 400 if saving else 200)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
def programme_edit(programme_id: int):
    programme = _programme_or_403(programme_id)
    form = ProgrammeForm(obj=programme, programme_id=programme.id)
    saving = request.method == "POST" and "preview" not in request.form
    if saving and form.validate():
        data = form.to_data()
        slug_change = request.form.get("slug_change")
        if data.slug != programme.slug and slug_change == "keep":
            data = replace(data, slug=programme.slug)
            form.slug.data = programme.slug
        elif data.slug != programme.slug and slug_change != "yes" and programme_has_public_events(programme.id):
            return _render_form(form, programme, 200, confirm_slug=True)
        if attempt(form, lambda: services.update_programme(programme.id, data, actor=current_user)) is not None:
            return redirect(url_for("manage.programme_edit", programme_id=programme.id, saved=1), code=303)
    if saving:
        db.session.expire_all()  # a refused change was rolled back: show the programme as it is
        programme = _programme_or_403(programme_id)
    return _render_form(
        form,
        programme,
        400 if saving else 200,
        created=request.args.get("created") == "1",
        saved=request.args.get("saved") == "1",
    )


def _contact_or_404(programme: Programme, contact_id: int) -> ContactPerson:
    contact = db.session.get(ContactPerson, contact_id)
    if contact is None or contact.programme_id != programme.id:
        abort(404)
    return contact


@bp.route("/programmes/<int:programme_id>/contacts", methods=["GET", "POST"])
def programme_contacts(programme_id: int):
    """The programme's contact persons, by country, and a form to add one."""
    programme = _programme_or_403(programme_id)
    form = ContactForm()
    if request.method == "POST" and form.validate():
        added = attempt(form, lambda: services.add_contact(programme.id, form.to_data(), actor=current_user))
        if added is not None:
            return redirect(url_for("manage.programme_contacts", programme_id=programme.id, added=1), code=303)
    status = 400 if request.method == "POST" else 200
    body = render_template(
        "manage/programme_contacts.html",
        programme=programme,
        form=form,
        remove_form=ConfirmForm(),
        added=request.args.get("added") == "1",
        removed=request.args.get("removed") == "1",
    )
    return body, status


@bp.route("/programmes/<int:programme_id>/contacts/<int:contact_id>", methods=["GET", "POST"])
def programme_contact_edit(programme_id: int, contact_id: int):
    programme = _programme_or_403(programme_id)
    contact = _contact_or_404(programme, contact_id)
    form = ContactForm(obj=contact)
    saved = (
        request.method == "POST"
        and form.validate()
        and attempt(form, lambda: services.update_contact(contact.id, form.to_data(), actor=current_user))
    )
    if saved:
        return redirect(url_for("manage.programme_contacts", programme_id=programme.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/programme_contact.html", programme=programme, contact=contact, form=form), status


@bp.post("/programmes/<int:programme_id>/contacts/<int:contact_id>/remove")
def programme_contact_remove(programme_id: int, contact_id: int):
    programme = _programme_or_403(programme_id)
    contact = _contact_or_404(programme, contact_id)
    if not ConfirmForm().validate():
        abort(400)
    services.remove_contact(contact.id, actor=current_user)
    return redirect(url_for("manage.programme_contacts", programme_id=programme.id, removed=1), code=303)
