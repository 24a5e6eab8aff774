"""The feedback survey in the back office: settings and questions, results with charts, Excel and CSV
exports, and a programme's averages over time. Routes on the back office's blueprint."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.manage import export
from eventapp.manage import survey_charts as charts
from eventapp.manage.blueprint import bp, event_or_403, field_error
from eventapp.programmes.models import Programme
from eventapp.programmes.permissions import can_manage_programme
from eventapp.registrations.forms import ConfirmForm
from eventapp.statistics import report
from eventapp.surveys import queries, services
from eventapp.surveys.forms import SurveyQuestionForm, SurveySettingsForm
from eventapp.surveys.models import SurveyQuestion


def _page(event, survey, *, settings_form=None, question_form=None, status=200, message=None):
    if settings_form is None:
        settings_form = SurveySettingsForm.for_survey(survey, event, formdata=None)
    answered = services.response_count(survey.id) if survey is not None else 0
    return render_template(
        "surveys/manage.html",
        event=event,
        survey=survey,
        answered=answered,
        settings_form=settings_form,
        question_form=question_form or SurveyQuestionForm(formdata=None),
        confirm_form=ConfirmForm(),
        message=message,
    ), status


@bp.route("/events/<int:event_id>/survey", methods=["GET", "POST"])
def survey(event_id: int):
    event = event_or_403(event_id)
    current = queries.survey_of_event(event.id)
    if request.method == "GET":
        return _page(event, current)
    form = SurveySettingsForm.for_survey(current, event)
    status = 400
    data = form.to_data(event.timezone) if form.validate() else None
    if data is not None:
        try:
            services.save_survey(event.id, data, actor=current_user)
        except ValidationFailed as exc:
            field_error(form, exc)
            status = 400 if exc.field else 409  # the anonymous switch, once people have answered
        else:
            return redirect(url_for("manage.survey", event_id=event.id, saved=1), code=303)
    return _page(event, queries.survey_of_event(event.id), settings_form=form, status=status)


@bp.post("/events/<int:event_id>/survey/questions")
def survey_question_add(event_id: int):
    event = event_or_403(event_id)
    current = queries.survey_of_event(event.id)
    if current is None:
        abort(404)
    form = SurveyQuestionForm()
    if form.validate():
        try:
            services.add_question(event.id, form.to_data(), actor=current_user)
        except ValidationFailed as exc:
            field_error(form, exc)
        else:
            return redirect(url_for("manage.survey", event_id=event.id, _anchor="questions"), code=303)
    return _page(event, queries.survey_of_event(event.id), question_form=form, status=400)


def _question_or_404(event_id: int, survey_question_id: int) -> SurveyQuestion:
    current = queries.survey_of_event(event_id)
    question = db.session.get(SurveyQuestion, survey_question_id)
    if current is None or question is None or question.survey_id != current.id:
        abort(404)
    return question


@bp.route("/events/<int:event_id>/survey/questions/<int:survey_question_id>", methods=["GET", "POST"])
def survey_question_edit(event_id: int, survey_question_id: int):
    event = event_or_403(event_id)
    question = _question_or_404(event.id, survey_question_id)
    form = SurveyQuestionForm.for_question(question)
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate():
            try:
                services.update_question(event.id, question.id, form.to_data(), actor=current_user)
            except ValidationFailed as exc:
                field_error(form, exc)
                status = 409 if exc.field is None else 400
            except NotFound:
                abort(404)
            else:
                return redirect(url_for("manage.survey", event_id=event.id, _anchor="questions"), code=303)
    return render_template("surveys/question_form.html", event=event, question=question, form=form), status


@bp.post("/events/<int:event_id>/survey/questions/<int:survey_question_id>/remove")
def survey_question_remove(event_id: int, survey_question_id: int):
    event = event_or_403(event_id)
    question = _question_or_404(event.id, survey_question_id)
    if not ConfirmForm().validate():
        abort(400)
    try:
        services.remove_question(event.id, question.id, actor=current_user)
    except ValidationFailed as exc:
        return _page(event, queries.survey_of_event(event.id), status=409, message=exc.message)
    except NotFound:
        abort(404)
    return redirect(url_for("manage.survey", event_id=event.id, _anchor="questions"), code=303)


@bp.post("/events/<int:event_id>/survey/questions/<int:survey_question_id>/move")
def survey_question_move(event_id: int, survey_question_id: int):
    event = event_or_403(event_id)
    question = _question_or_404(event.id, survey_question_id)
    if not ConfirmForm().validate() or request.form.get("direction") not in ("up", "down"):
        abort(400)
    try:
        services.move_question(event.id, question.id, up=request.form["direction"] == "up", actor=current_user)
    except NotFound:
        abort(404)
    return redirect(url_for("manage.survey", event_id=event.id, _anchor="questions"), code=303)


def _results_or_404(event_id: int):
    event = event_or_403(event_id)
    current = queries.survey_of_event(event.id)
    if current is None:
        abort(404)
    return event, current


@bp.get("/events/<int:event_id>/survey/results")
def survey_results(event_id: int):
    event, current = _results_or_404(event_id)
    results = queries.results(current, event)
    return render_template(
        "surveys/results.html",
        event=event,
        survey=current,
        results=results,
        charts=charts.question_charts(results),
        decimal=charts.decimal,
        **report.TEMPLATE_HELPERS,
    )


def _export_rows(event, current) -> list[list[str]]:
    table = queries.export_table(current, event)
    return [[export.neutralise(cell) for cell in row] for row in [table.header, *table.rows]]


@bp.get("/events/<int:event_id>/survey/results.xlsx")
def survey_results_xlsx(event_id: int):
    from flask_babel import gettext as _

    event, current = _results_or_404(event_id)
    body = export.rows_xlsx(_("Feedback survey"), _export_rows(event, current))
    response = Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-survey.xlsx"'
    return response


@bp.get("/events/<int:event_id>/survey/results.csv")
def survey_results_csv(event_id: int):
    event, current = _results_or_404(event_id)
    response = Response(export.rows_csv(_export_rows(event, current)), mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-survey.csv"'
    return response


@bp.get("/programmes/<int:programme_id>/surveys")
def programme_surveys(programme_id: int):
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        abort(404)
    if not can_manage_programme(current_user, programme):
        abort(403)
    rows = queries.programme_averages(programme.id)
    return render_template(
        "surveys/programme.html",
        programme=programme,
        rows=rows,
        charts=charts.programme_charts(rows),
        decimal=charts.decimal,
        **report.TEMPLATE_HELPERS,
    )
