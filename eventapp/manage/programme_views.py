"""Programmes in the back office (/manage/programmes): any organiser creates one; its creator and
administrators edit it (``can_manage_programme``), everyone else gets 403."""

from __future__ import annotations

from dataclasses import replace

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.accounts.permissions import can_manage_programme
from eventapp.extensions import db
from eventapp.manage.blueprint import attempt, bp
from eventapp.manage.programme_forms import ProgrammeForm
from eventapp.programmes import services
from eventapp.programmes.models import Programme
from eventapp.programmes.queries import manageable_with_event_counts
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
    return render_template("manage/programmes.html", rows=manageable_with_event_counts(current_user))


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
        elif data.slug != programme.slug and slug_change != "yes" and services.has_public_events(programme.id):
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
