"""Public pages of calls: the call, the application form, and the contact's own page (/calls/a/<token>)
with its change, letter and withdraw steps."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from eventapp.calls import letters, queries, restricted, services
from eventapp.calls.forms import application_form
from eventapp.calls.models import Application, Call
from eventapp.db import utcnow
from eventapp.errors import DomainError, NotAllowed, ValidationFailed
from eventapp.extensions import csrf, db, limiter
from eventapp.registrations.forms import ConfirmForm

bp = Blueprint("calls", __name__)


def _limit() -> str:
    return current_app.config["RATELIMIT_SIGNUP"]


def _call_or_404(slug: str, call_id: int) -> Call:
    call = queries.call_for_page(slug, call_id, str(get_locale()))
    if call is None:
        abort(404)
    return call


def _upload() -> letters.Upload | None:
    found = request.files.get("file")
    if found is None or not found.filename:
        return None
    return letters.Upload(stream=found.stream, filename=found.filename)  # type: ignore[arg-type]  # werkzeug types the stream as IO[bytes]


def _on_field(form, exc: ValidationFailed) -> None:
    field = getattr(form, exc.field or "", None)
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


@bp.get("/programmes/<slug>/calls/<int:call_id>")
def detail(slug: str, call_id: int):
    call = _call_or_404(slug, call_id)
    return render_template("calls/detail.html", call=call, now=utcnow())


@bp.route("/programmes/<slug>/calls/<int:call_id>/apply", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one gives the form back with what was typed
@limiter.limit(_limit, methods=["POST"])
def apply(slug: str, call_id: int):
    call = _call_or_404(slug, call_id)
    if not call.is_open():
        return render_template("calls/apply.html", call=call, form=None), (200 if request.method == "GET" else 409)
    form = application_form(call)
    if request.method == "GET":
        return render_template("calls/apply.html", call=call, form=form)
    if not form.validate():
        return render_template("calls/apply.html", call=call, form=form), 400
    status = 400
    try:
        services.apply(call.id, form.to_data(call, str(get_locale())), _upload())
    except services.AlreadyApplied as exc:
        _on_field(form, ValidationFailed("organisation_number", exc.message))
        status = 409
    except services.CallClosed as exc:
        return render_template("calls/apply.html", call=call, form=None, message=exc.message), 409
    except ValidationFailed as exc:
        _on_field(form, exc)
    else:
        session["call_sent_to"] = form.contact_email.data or ""
        return redirect(url_for("calls.sent", slug=slug, call_id=call.id), code=303)
    call = _call_or_404(slug, call_id)  # the failed transaction was rolled back
    return render_template("calls/apply.html", call=call, form=form), status


@bp.get("/programmes/<slug>/calls/<int:call_id>/apply/sent")
def sent(slug: str, call_id: int):
    call = _call_or_404(slug, call_id)
    return render_template("calls/sent.html", call=call, email=session.pop("call_sent_to", ""))


def _own_or_404(token: str) -> Application:
    application = queries.application_by_token(token)
    if application is None:
        abort(404, _("This link is not valid. It may have been mistyped, or replaced by a newer one."))
    return application


@bp.get("/calls/a/<token>")
def own(token: str):
    application = _own_or_404(token)
    accepted = application.status.value == "accepted"
    return render_template(
        "calls/own.html",
        application=application,
        call=application.call,
        token=token,
        events=restricted.restricted_events(application.call_id) if accepted else [],
        saved=request.args.get("saved") == "1",
        withdrawn=request.args.get("withdrawn") == "1",
    )


@bp.route("/calls/a/<token>/edit", methods=["GET", "POST"])
def edit(token: str):
    application = _own_or_404(token)
    call = application.call
    if not call.is_open() or application.status.value == "withdrawn":
        if request.method == "POST":  # a change sent too late is told so (nothing is stored), not sent back
            abort(409, services.CallClosed().message if not call.is_open() else _("This application was withdrawn."))
        return redirect(url_for("calls.own", token=token), code=303)
    form = application_form(call, application=application)
    if request.method == "GET":
        return render_template("calls/edit.html", application=application, call=call, form=form, token=token)
    status = 400
    if form.validate():
        try:
            services.update_application(
                application.id,
                form.to_data(call, application.locale),
                _upload(),
                remove_letter_file=request.form.get("remove_file") == "y",
            )
        except ValidationFailed as exc:
            _on_field(form, exc)
        except (services.CallClosed, NotAllowed) as exc:
            abort(409, exc.message)
        else:
            return redirect(url_for("calls.own", token=token, saved=1), code=303)
    db.session.expire_all()
    application = _own_or_404(token)
    return render_template(
        "calls/edit.html", application=application, call=application.call, form=form, token=token
    ), status


@bp.get("/calls/a/<token>/letter")
def letter(token: str):
    application = _own_or_404(token)
    response = letters.letter_response(application)
    if response is None:
        abort(404)
    return response


@bp.route("/calls/a/<token>/withdraw", methods=["GET", "POST"])
def withdraw(token: str):
    application = _own_or_404(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        try:
            services.withdraw(application.id)
        except DomainError as exc:
            abort(409, exc.message)
        return redirect(url_for("calls.own", token=token, withdrawn=1), code=303)
    if not application.call.is_open() or application.status.value == "withdrawn":
        return redirect(url_for("calls.own", token=token), code=303)
    return render_template(
        "calls/withdraw.html", application=application, call=application.call, token=token, form=form
    ), (400 if request.method == "POST" else 200)
