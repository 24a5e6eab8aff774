"""The event's sign-up form in the back office: its custom questions and participation requirements,
with a preview of the public form. The rules about answers people already gave live in
``registrations.questions``; these views ask for the organiser's confirmation when a rule wants it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import NotFound, ValidationFailed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.manage.blueprint import bp, event_or_403, field_error
from eventapp.manage.questions_forms import ConfirmCountForm, QuestionForm, RequirementForm
from eventapp.registrations import questions as service
from eventapp.registrations.forms import ConfirmForm, registration_form
from eventapp.registrations.models import CustomQuestion, ParticipationRequirement
from eventapp.registrations.questions import ConfirmationNeeded


def _question_or_404(event: Event, question_id: int) -> CustomQuestion:
    question = db.session.get(CustomQuestion, question_id)
    if question is None or question.event_id != event.id:
        abort(404)
    return question


def _requirement_or_404(event: Event, requirement_id: int) -> ParticipationRequirement:
    requirement = db.session.get(ParticipationRequirement, requirement_id)
    if requirement is None or requirement.event_id != event.id:
        abort(404)
    return requirement


def _edit(
    event: Event,
    form: Any,
    *,
    save: Callable[[], Any],
    count: Callable[[], int],
    anchor: str,
    question: CustomQuestion | None = None,
    requirement: ParticipationRequirement | None = None,
):
    """Edit a question or a requirement: a change that touches what people already answered is saved
    only after the organiser confirms how many it affects (409 when that number moved meanwhile)."""
    status, confirm = 200, None
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                save()
            except ValidationFailed as exc:
                field_error(form, exc)
            except ConfirmationNeeded as exc:
                confirm, status = exc.count, (409 if form.confirmed_count is not None else 200)
                form.confirmed.data = str(exc.count)
            except NotFound:
                abort(404)
            else:
                return _back(event, anchor)
    return render_template(
        "manage/question_form.html", event=event, question=question, requirement=requirement, form=form,
        answers=count(), confirm=confirm,
    ), status  # fmt: skip


def _remove(
    event: Event,
    form: ConfirmCountForm,
    *,
    remove: Callable[[], Any],
    count: Callable[[], int],
    anchor: str,
    question: CustomQuestion | None = None,
    requirement: ParticipationRequirement | None = None,
):
    """Remove a question or a requirement; with answers or confirmations, only after a confirm step that
    names how many are lost (409 when that number moved meanwhile)."""
    status, changed = 200, False
    if request.method == "POST":
        if not form.validate():
            abort(400, _("The form had expired. Please try again."))
        try:
            remove()
        except ConfirmationNeeded:
            changed = form.confirmed_count is not None
            status = 409 if changed else 200
        except NotFound:
            abort(404)
        else:
            return _back(event, anchor)
    lost = count()
    form.confirmed.data = str(lost)
    return render_template(
        "manage/question_remove.html", event=event, question=question, requirement=requirement, count=lost,
        form=form, changed=changed,
    ), status  # fmt: skip


def _back(event: Event, anchor: str):
    return redirect(url_for("manage.questions", event_id=event.id, _anchor=anchor), code=303)


def _render(event: Event, *, question_form: QuestionForm | None = None,
            requirement_form: RequirementForm | None = None, status: int = 200):  # fmt: skip
    question_rows, requirement_rows = service.overview(event)
    body = render_template(
        "manage/questions.html",
        event=event,
        question_rows=question_rows,
        requirement_rows=requirement_rows,
        question_form=question_form or QuestionForm(formdata=None),
        requirement_form=requirement_form or RequirementForm(formdata=None),
        preview=registration_form(event, formdata=None),
    )
    return body, status


def _fresh(event_id: int) -> Event:
    """The event read again after a refused write (the service rolled its transaction back)."""
    db.session.expire_all()
    return event_or_403(event_id)


@bp.get("/events/<int:event_id>/questions")
def questions(event_id: int):
    return _render(event_or_403(event_id))


# --- questions -----------------------------------------------------------------------------------


@bp.post("/events/<int:event_id>/questions/new")
def question_add(event_id: int):
    event = event_or_403(event_id)
    form = QuestionForm()
    if form.validate():
        try:
            question = service.add_question(event.id, form.to_data(), actor=current_user)
        except ValidationFailed as exc:
            field_error(form, exc)
        else:
            return _back(event, f"question-{question.id}")
    return _render(_fresh(event_id), question_form=form, status=400)


@bp.route("/events/<int:event_id>/questions/<int:question_id>", methods=["GET", "POST"])
def question_edit(event_id: int, question_id: int):
    event = event_or_403(event_id)
    question = _question_or_404(event, question_id)
    form = QuestionForm.for_question(question)
    return _edit(
        event, form, question=question,
        save=lambda: service.update_question(question.id, form.to_data(), actor=current_user,
                                             confirmed_answers=form.confirmed_count),
        count=lambda: service.answer_count(question.id), anchor=f"question-{question.id}",
    )  # fmt: skip


@bp.route("/events/<int:event_id>/questions/<int:question_id>/remove", methods=["GET", "POST"])
def question_remove(event_id: int, question_id: int):
    event = event_or_403(event_id)
    question = _question_or_404(event, question_id)
    form = ConfirmCountForm()
    return _remove(
        event, form, question=question,
        remove=lambda: service.remove_question(question.id, actor=current_user, confirmed_answers=form.confirmed_count),
        count=lambda: service.answer_count(question.id), anchor="questions",
    )  # fmt: skip


@bp.post("/events/<int:event_id>/questions/<int:question_id>/move")
def question_move(event_id: int, question_id: int):
    event = event_or_403(event_id)
    question = _question_or_404(event, question_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    service.move_question(question.id, up=request.form.get("direction") != "down", actor=current_user)
    return _back(event, f"question-{question.id}")


# --- requirements --------------------------------------------------------------------------------


@bp.post("/events/<int:event_id>/requirements/new")
def requirement_add(event_id: int):
    event = event_or_403(event_id)
    form = RequirementForm()
    if form.validate():
        try:
            requirement = service.add_requirement(event.id, form.to_data(), actor=current_user)
        except ValidationFailed as exc:
            field_error(form, exc)
        else:
            return _back(event, f"requirement-{requirement.id}")
    return _render(_fresh(event_id), requirement_form=form, status=400)


@bp.route("/events/<int:event_id>/requirements/<int:requirement_id>", methods=["GET", "POST"])
def requirement_edit(event_id: int, requirement_id: int):
    event = event_or_403(event_id)
    requirement = _requirement_or_404(event, requirement_id)
    form = RequirementForm(obj=requirement)
    if not form.is_submitted():
        form.confirmed.data = ""
    return _edit(
        event, form, requirement=requirement,
        save=lambda: service.update_requirement(requirement.id, form.to_data(), actor=current_user,
                                                confirmed_count=form.confirmed_count),
        count=lambda: service.confirmation_count(requirement.id), anchor=f"requirement-{requirement.id}",
    )  # fmt: skip


@bp.route("/events/<int:event_id>/requirements/<int:requirement_id>/remove", methods=["GET", "POST"])
def requirement_remove(event_id: int, requirement_id: int):
    event = event_or_403(event_id)
    requirement = _requirement_or_404(event, requirement_id)
    form = ConfirmCountForm()
    return _remove(
        event, form, requirement=requirement,
        remove=lambda: service.remove_requirement(requirement.id, actor=current_user,
                                                  confirmed_count=form.confirmed_count),
        count=lambda: service.confirmation_count(requirement.id), anchor="requirements",
    )  # fmt: skip


@bp.post("/events/<int:event_id>/requirements/<int:requirement_id>/move")
def requirement_move(event_id: int, requirement_id: int):
    event = event_or_403(event_id)
    requirement = _requirement_or_404(event, requirement_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    service.move_requirement(requirement.id, up=request.form.get("direction") != "down", actor=current_user)
    return _back(event, f"requirement-{requirement.id}")
