"""The survey as an attendee answers it: ``/r/<token>/survey``, from the person's own link."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.errors import NotFound, ValidationFailed
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.models import Registration
from eventapp.surveys import attendance, queries, services
from eventapp.surveys import privacy as _privacy  # noqa: F401 - registers the survey's part of erasure
from eventapp.surveys.forms import answer_form

bp = Blueprint("surveys", __name__)


@dataclass(frozen=True)
class SurveyState:
    """What the person's own page says of the survey."""

    answered: bool
    anonymous: bool


@bp.app_template_global()
def survey_state(registration: Registration) -> SurveyState | None:
    """For ``/r/<token>``: the survey the person may answer (None: no open survey, or they did not come)."""
    survey = queries.survey_of_event(registration.event_id)
    if survey is None or not survey.is_open() or not attendance.came(registration):
        return None
    return SurveyState(answered=services.has_answered(survey.id, registration.id), anonymous=survey.anonymous)


@bp.route("/r/<token>/survey", methods=["GET", "POST"])
def answer(token: str):
    registration = registration_queries.by_token(token)
    if registration is None:
        abort(404, _("This link is not valid. It may have been mistyped, or replaced by a newer one."))
    event = registration.event
    survey = queries.survey_of_event(event.id)
    if survey is None or not survey.questions:
        abort(404)
    context = {"registration": registration, "event": event, "survey": survey, "token": token}
    if survey.is_closed():
        return render_template("surveys/answer.html", state="closed", form=None, **context), 409 if (
            request.method == "POST") else 200  # fmt: skip
    if not survey.is_open():
        return render_template("surveys/answer.html", state="not_open", form=None, **context), 409 if (
            request.method == "POST") else 200  # fmt: skip
    if not attendance.came(registration):
        return render_template("surveys/answer.html", state="not_invited", form=None, **context), 403
    if services.has_answered(survey.id, registration.id):
        status = 409 if request.method == "POST" else 200
        return render_template("surveys/answer.html", state="answered", form=None, **context), status
    form = answer_form(survey)
    if request.method == "POST" and form.validate():
        try:
            services.submit_answers(survey.id, registration.id, form.answers(survey))
        except ValidationFailed as exc:
            field = getattr(form, exc.field or "", None)
            (field.errors.append if field is not None else form.form_errors.append)(exc.message)
        except services.AlreadyAnswered:
            return render_template("surveys/answer.html", state="answered", form=None, **context), 409
        except services.SurveyClosed:  # it closed while they were answering
            return render_template("surveys/answer.html", state="closed", form=None, **context), 409
        except (services.NotInvited, NotFound) as exc:
            abort(getattr(exc, "status_code", 404))
        else:
            return redirect(url_for("surveys.answer", token=token, thanks=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("surveys/answer.html", state="open", form=form, **context), status
