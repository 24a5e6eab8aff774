"""Calls in the back office: open and change a programme's calls, their questions, and review the
applications (side by side, filters, decisions). Whoever may manage the programme may manage its calls."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.calls import letters, queries, restricted, services, setup, translations
from eventapp.calls.enums import ApplicationStatus
from eventapp.calls.models import Application, Call
from eventapp.errors import NotAllowed, ValidationFailed
from eventapp.extensions import db
from eventapp.formatting import language_name
from eventapp.manage import call_export
from eventapp.manage.blueprint import attempt, bp, field_error
from eventapp.manage.call_forms import CallForm, DecisionForm, call_translation_form
from eventapp.manage.questions_forms import QuestionForm
from eventapp.programmes.models import Programme
from eventapp.programmes.permissions import can_manage_programme
from eventapp.registrations.enums import OrganisationType
from eventapp.registrations.forms import ConfirmForm
from eventapp.richtext import render_markdown


def _programme_or_403(programme_id: int) -> Programme:
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    if not can_manage_programme(current_user, programme):
        abort(403)
    return programme


def _call_or_403(call_id: int) -> Call:
    call = db.session.get(Call, call_id)
    if call is None:
        abort(404)
    if not can_manage_programme(current_user, call.programme):
        abort(403)
    return call


def _application_or_404(call: Call, application_id: int) -> Application:
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id:
        abort(404)
    return application


@bp.get("/programmes/<int:programme_id>/calls")
def calls(programme_id: int):
    programme = _programme_or_403(programme_id)
    return render_template("manage/calls.html", programme=programme, calls=queries.calls_of_programmes([programme.id]))


@bp.route("/programmes/<int:programme_id>/calls/new", methods=["GET", "POST"])
def call_new(programme_id: int):
    programme = _programme_or_403(programme_id)
    form = CallForm()
    if not form.is_submitted():  # a new call starts in its programme's language and zone
        form.language.data, form.timezone.data = programme.language, programme.timezone
    if request.method == "POST" and form.validate() and (data := form.to_data()) is not None:
        call = attempt(form, lambda: setup.create_call(programme.id, data, actor=current_user))
        if call is not None:
            return redirect(url_for("manage.call_edit", call_id=call.id, created=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/call_form.html", programme=programme, call=None, form=form), status


@bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
def call_edit(call_id: int):
    call = _call_or_403(call_id)
    form = CallForm.for_call(call)
    saved = (
        request.method == "POST"
        and form.validate()
        and (data := form.to_data()) is not None
        and attempt(form, lambda: setup.update_call(call.id, data, actor=current_user)) is not None
    )
    if saved:
        return redirect(url_for("manage.call_edit", call_id=call.id, saved=1), code=303)
    if request.method == "POST":
        db.session.expire_all()
        call = _call_or_403(call_id)
    return render_template(
        "manage/call_form.html",
        programme=call.programme,
        call=call,
        form=form,
        question_form=QuestionForm(prefix="q"),
        remove_form=ConfirmForm(),
        programme_events=_programme_events(call),
        restricted_ids={e.id for e in restricted.restricted_events(call.id)},
        created=request.args.get("created") == "1",
        saved=request.args.get("saved") == "1",
    ), (400 if request.method == "POST" else 200)


@bp.route("/calls/<int:call_id>/translations", methods=["GET", "POST"])
def call_translations(call_id: int):
    """The call's title and texts in the other languages, one language at a time (as a programme's)."""
    call = _call_or_403(call_id)
    languages = translations.languages_to_translate_into(call)
    existing_all = translations.translations_of(call.id)
    locale = request.values.get("into", "")  # not "lang": that chooses the page's own language
    if locale not in languages:
        locale = next((t.locale for t in existing_all), languages[0])
    existing = next((t for t in existing_all if t.locale == locale), None)
    form = call_translation_form(call, existing, submitted=request.method == "POST")
    previewing = "preview" in request.form
    if request.method == "POST" and not previewing and form.validate():
        try:
            translations.save_translation(call.id, form.to_data(locale), actor=current_user)
        except ValidationFailed as exc:
            field_error(form, exc)
            call = _call_or_403(call_id)
        else:
            return redirect(url_for("manage.call_translations", call_id=call.id, into=locale, saved=1), code=303)
    failed = request.method == "POST" and not previewing
    body = render_template(
        "manage/call_translations.html",
        call=call,
        form=form,
        locale=locale,
        languages=[(code, language_name(code)) for code in languages],
        translated={t.locale for t in existing_all},
        preview=render_markdown(form.description_md.data) if previewing else None,
        saved=request.args.get("saved") == "1",
    )
    return body, (400 if failed else 200)


@bp.post("/calls/<int:call_id>/questions")
def call_question_add(call_id: int):
    call = _call_or_403(call_id)
    question_form = QuestionForm(prefix="q")
    if question_form.validate():
        data = question_form.to_data()
        if attempt(question_form, lambda: setup.add_question(call.id, data, actor=current_user)) is not None:
            return redirect(url_for("manage.call_edit", call_id=call.id, saved=1) + "#questions", code=303)
    db.session.expire_all()
    call = _call_or_403(call_id)
    return render_template(
        "manage/call_form.html",
        programme=call.programme,
        call=call,
        form=CallForm.for_call(call),
        question_form=question_form,
        remove_form=ConfirmForm(),
        programme_events=_programme_events(call),
        restricted_ids={e.id for e in restricted.restricted_events(call.id)},
    ), 400


@bp.post("/calls/<int:call_id>/questions/<int:call_question_id>/remove")
def call_question_remove(call_id: int, call_question_id: int):
    call = _call_or_403(call_id)
    if not ConfirmForm().validate():
        abort(400)
    try:
        setup.remove_question(call.id, call_question_id, actor=current_user)
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_for("manage.call_edit", call_id=call.id, saved=1) + "#questions", code=303)


FILTERS = ("status", "country", "type", "letter", "requirements", "sort")


@bp.get("/calls/<int:call_id>/applications")
def call_applications(call_id: int):
    """Every application side by side, with filters and sorting, and the count against the target."""
    call = _call_or_403(call_id)
    chosen = {name: request.args.get(name, "") for name in FILTERS}
    result = queries.review(
        call, status=chosen["status"], country=chosen["country"], org_type=chosen["type"], letter=chosen["letter"],
        requirements=chosen["requirements"], sort=chosen["sort"] or "received",
    )  # fmt: skip
    return render_template(
        "manage/call_applications.html",
        call=call,
        review=result,
        chosen=chosen,
        statuses=list(ApplicationStatus),
        org_types=list(OrganisationType),
        sorts=list(queries.SORTS),
    )


@bp.route("/calls/<int:call_id>/applications/<int:application_id>", methods=["GET", "POST"])
def call_application(call_id: int, application_id: int):
    """One application in full, and the decision with its message."""
    call = _call_or_403(call_id)
    application = _application_or_404(call, application_id)
    form = DecisionForm()
    over: services.OverTarget | None = None
    if request.method == "POST" and form.validate():
        try:
            services.decide(
                application.id,
                ApplicationStatus(form.decision.data),
                message=form.message.data or "",
                actor=current_user,
                confirmed_accepted=form.confirmed_count,
            )
        except services.OverTarget as exc:
            over = exc
            form.confirmed.data = str(exc.accepted)
        except NotAllowed as exc:
            field_error(form, ValidationFailed("decision", exc.message))
        else:
            return redirect(url_for("manage.call_applications", call_id=call.id, decided=application.id), code=303)
        db.session.expire_all()
        call = _call_or_403(call_id)
        application = _application_or_404(call, application_id)
    status = 200 if request.method == "GET" else (409 if over else 400)
    return render_template(
        "manage/call_application.html",
        call=call,
        application=application,
        form=form,
        over=over,
        answers={a.question_id: a.value for a in application.answers},
        confirmed={c.requirement_id for c in application.confirmations},
    ), status


@bp.get("/calls/<int:call_id>/applications/<int:application_id>/letter")
def call_application_letter(call_id: int, application_id: int):
    call = _call_or_403(call_id)
    response = letters.letter_response(_application_or_404(call, application_id))
    if response is None:
        abort(404)
    return response


def _download(body: Any, mimetype: str, filename: str) -> Response:  # bytes, or a generator of bytes (the ZIP)
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/calls/<int:call_id>/applications.csv")
def call_applications_csv(call_id: int):
    call = _call_or_403(call_id)
    body = call_export.applications_csv(call, queries.review(call).rows)
    return _download(body, "text/csv", f"{call_export.file_stem(call)}.csv")


@bp.get("/calls/<int:call_id>/applications.xlsx")
def call_applications_xlsx(call_id: int):
    call = _call_or_403(call_id)
    body = call_export.applications_xlsx(call, queries.review(call).rows)
    mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return _download(body, mimetype, f"{call_export.file_stem(call)}.xlsx")


@bp.get("/calls/<int:call_id>/letters.zip")
def call_letters_zip(call_id: int):
    """Every live application's letter file in one ZIP, streamed as it is made."""
    call = _call_or_403(call_id)
    entries = call_export.letter_entries(queries.applications_with_letters(call.id))
    return _download(letters.zip_of_letters(entries), "application/zip", f"{call_export.file_stem(call)}-letters.zip")


def _programme_events(call: Call) -> list:
    from sqlalchemy import select

    from eventapp.events.models import Event

    return list(
        db.session.scalars(select(Event).where(Event.programme_id == call.programme_id).order_by(Event.starts_at))
    )


@bp.post("/calls/<int:call_id>/events")
def call_events(call_id: int):
    """Which of the programme's events are only for the call's accepted organisations."""
    call = _call_or_403(call_id)
    if not ConfirmForm().validate():
        abort(400)
    chosen = {int(v) for v in request.form.getlist("event") if v.isdigit() and len(v) < 10}
    restricted.set_restricted_events(call.id, chosen, actor=current_user)
    return redirect(url_for("manage.call_edit", call_id=call.id, saved=1) + "#events", code=303)
