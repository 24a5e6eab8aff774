"""The back office (/manage): organisers' dashboard and the people coming to each event."""

from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from eventapp.accounts.permissions import can_manage_event
from eventapp.errors import NotAllowed
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.manage import export, queries
from eventapp.manage.forms import DecisionForm, RegistrationFilterForm
from eventapp.registrations import services
from eventapp.registrations.enums import RegistrationStatus
from eventapp.registrations.models import Registration

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in organiser (anonymous visitors go to the sign-in page)."""


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _event_or_403(event_id: int) -> Event:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    if not can_manage_event(current_user, event):
        abort(403)
    return event


def _registration_or_404(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


@bp.get("/")
def dashboard():
    return render_template(
        "manage/dashboard.html", rows=queries.dashboard_events(current_user), statuses=RegistrationStatus
    )


@bp.get("/events/<int:event_id>/registrations")
def registrations(event_id: int):
    event = _event_or_403(event_id)
    form = RegistrationFilterForm(request.args)
    valid = form.validate()
    people = queries.registrations(event.id, form.to_filter())
    body = render_template("manage/registrations.html", event=event, form=form, people=people, decision=DecisionForm())
    return body, (200 if valid else 400)


@bp.get("/events/<int:event_id>/registrations.csv")
def registrations_csv(event_id: int):
    event = _event_or_403(event_id)
    form = RegistrationFilterForm(request.args)
    form.validate()
    body = export.registrations_csv(event, queries.registrations(event.id, form.to_filter()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


ACTIONS = {
    "approve": lambda rid, note: services.approve(rid, actor=current_user, note=note),
    "reject": lambda rid, note: services.reject(rid, actor=current_user, note=note),
    "cancel": lambda rid, note: services.cancel_registration(rid, actor=current_user, note=note),
    "give-seat": lambda rid, note: services.confirm_from_waitlist(rid, actor=current_user),
}


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/<action>")
def decide(event_id: int, registration_id: int, action: str):
    event = _event_or_403(event_id)
    registration = _registration_or_404(event, registration_id)
    if action not in ACTIONS:
        abort(404)
    form = DecisionForm()
    if not form.validate():
        abort(400, _("The form had expired or the message was too long. Please try again."))
    try:
        ACTIONS[action](registration.id, (form.note.data or "").strip())
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_for("manage.registrations", event_id=event_id, **request.args), code=303)


@bp.get("/events/<int:event_id>/audit")
def audit(event_id: int):
    event = _event_or_403(event_id)
    return render_template("manage/audit.html", event=event, entries=queries.audit_log(event.id))
