"""The back office (/manage): organisers' dashboard and the people coming to each event."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.accounts import services as account_services
from eventapp.agenda import services as agenda_services
from eventapp.agenda.models import AgendaItem
from eventapp.controlchars import without_control_characters
from eventapp.errors import AlreadyRegistered, NotAllowed, RegistrationClosed, ValidationFailed
from eventapp.events import services as event_services
from eventapp.events.models import Event
from eventapp.events.permissions import can_change_team
from eventapp.extensions import db
from eventapp.mail import queries as mail_queries
from eventapp.manage import audit_queries, export, queries
from eventapp.manage.blueprint import attempt as _attempt
from eventapp.manage.blueprint import bp, event_or_403, registration_or_404
from eventapp.manage.blueprint import field_error as _field_error
from eventapp.manage.forms import (
    AddPersonForm,
    AgendaItemForm,
    CancelEventForm,
    DecisionForm,
    EventForm,
    ManagerForm,
    RegistrationFilterForm,
    SpeakerForm,
    utc_to_local,
)
from eventapp.programmes.queries import programmes_for_event_form
from eventapp.registrations import queries as registration_queries
from eventapp.registrations import services
from eventapp.registrations.enums import AttendanceMode, OrganisationType, RegistrationStatus
from eventapp.registrations.forms import ConfirmForm, default_country
from eventapp.registrations.services import RegistrationData
from eventapp.richtext import render_markdown
from eventapp.speakers import services as speaker_services
from eventapp.speakers.services import SpeakerData
from eventapp.statistics import queries as statistics_queries
from eventapp.urls import url_with_args


@bp.get("/")
def dashboard():
    rows = queries.dashboard_events(current_user)
    return render_template(
        "manage/dashboard.html",
        rows=rows,
        mode_splits=registration_queries.confirmed_by_mode([event for event, _counts in rows]),
        statuses=RegistrationStatus,
        statistics_programmes=statistics_queries.programmes_with_statistics(current_user),
    )


@bp.get("/events/<int:event_id>/registrations")
def registrations(event_id: int):
    event = event_or_403(event_id)
    form = RegistrationFilterForm(request.args)
    valid = form.validate()
    page = queries.registrations_page(event.id, form.to_filter(), form.page_number)
    failed_mails = mail_queries.failed_mails_by_registration([r.id for r in page.rows])
    pending = [r.id for r in page.rows if r.status is RegistrationStatus.PENDING]
    body = render_template(
        "manage/registrations.html",
        event=event,
        form=form,
        page=page,
        decision=DecisionForm(),
        failed_mails=failed_mails,
        applications=queries.applications(event, pending),
        mode_split=registration_queries.mode_figures(event),
    )
    return body, (200 if valid else 400)


@bp.get("/events/<int:event_id>/registrations/pending")
def pending_side_by_side(event_id: int):
    """Everyone waiting for a decision in one table: a row per person, a column per answer and requirement."""
    event = event_or_403(event_id)
    people = queries.pending_registrations(event.id)
    applications = queries.applications(event, [r.id for r in people])
    return render_template("manage/pending.html", event=event, people=people, applications=applications)


@bp.get("/events/<int:event_id>/registrations.csv")
def registrations_csv(event_id: int):
    event = event_or_403(event_id)
    form = RegistrationFilterForm(request.args)
    form.validate()
    body = export.registrations_csv(event, queries.export_rows(event.id, form.to_filter()))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.csv"'
    return response


@bp.get("/events/<int:event_id>/registrations.xlsx")
def registrations_xlsx(event_id: int):
    event = event_or_403(event_id)
    form = RegistrationFilterForm(request.args)
    form.validate()
    body = export.registrations_xlsx(event, queries.export_rows(event.id, form.to_filter()))
    response = Response(body, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response.headers["Content-Disposition"] = f'attachment; filename="{event.slug}-registrations.xlsx"'
    return response


ACTIONS = {
    "approve": lambda rid, note: services.approve(rid, actor=current_user, note=note),
    "reject": lambda rid, note: services.reject(rid, actor=current_user, note=note),
    "cancel": lambda rid, note: services.cancel_registration(rid, actor=current_user, note=note),
    "give-seat": lambda rid, note: services.confirm_from_waitlist(rid, actor=current_user),
    # a hybrid event: move the person to the other mode, while it has a free seat
    "to-on-site": lambda rid, note: services.switch_attendance(rid, to=AttendanceMode.ON_SITE, actor=current_user),
    "to-online": lambda rid, note: services.switch_attendance(rid, to=AttendanceMode.ONLINE, actor=current_user),
}


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/<action>")
def decide(event_id: int, registration_id: int, action: str):
    event = event_or_403(event_id)
    registration = registration_or_404(event, registration_id)
    if action not in ACTIONS:
        abort(404)
    form = DecisionForm()
    if not form.validate():
        abort(400, _("The form had expired or the message was too long. Please try again."))
    try:
        ACTIONS[action](registration.id, (form.note.data or "").strip())
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_with_args("manage.registrations", request.args, event_id=event_id), code=303)


@bp.get("/events/<int:event_id>/audit")
def audit(event_id: int):
    event = event_or_403(event_id)
    return render_template(
        "manage/audit.html", event=event, entries=audit_queries.audit_log(event.id, zone=event.tzinfo)
    )


# --- events ------------------------------------------------------------------------------------


def _render_event_form(form: EventForm, event: Event | None, status: int, **extra: Any):
    preview = render_markdown(form.description_md.data) if "preview" in request.form else None
    body = render_template("manage/event_form.html", form=form, event=event, preview=preview, **extra)
    return body, status


@bp.route("/events/new", methods=["GET", "POST"])
def event_new():
    form = EventForm(programmes=programmes_for_event_form(current_user))
    if request.method == "POST" and "preview" not in request.form and form.validate():
        data = form.to_data()
        event = data and _attempt(form, lambda: event_services.create_event(data, actor=current_user))
        if event:
            return redirect(url_for("manage.event_edit", event_id=event.id, created=1), code=303)
    failed = request.method == "POST" and "preview" not in request.form
    return _render_event_form(form, None, 400 if failed else 200)


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def event_edit(event_id: int):
    event = event_or_403(event_id)
    form = EventForm.for_event(event, programmes_for_event_form(current_user, current_id=event.programme_id))
    if request.method == "POST" and "preview" not in request.form and form.validate():
        data = form.to_data()
        if data is not None:
            changes = event_services.calendar_changes(event, data) if event.is_public else ()
            tell = request.form.get("tell")
            if changes and tell not in ("yes", "no"):
                counts = registration_queries.active_registration_count(event.id)
                return _render_event_form(form, event, 200, confirm_changes=changes, counts=counts)
            result = _attempt(
                form,
                lambda: event_services.update_event(event.id, data, actor=current_user, tell_attendees=tell == "yes"),
            )
            if result:
                return redirect(url_for("manage.event_edit", event_id=event.id, saved=1, told=result.told), code=303)
    failed = request.method == "POST" and "preview" not in request.form
    return _render_event_form(
        form,
        event,
        400 if failed else 200,
        saved=request.args.get("saved") == "1",
        created=request.args.get("created") == "1",
        told=request.args.get("told", type=int),
    )


@bp.post("/events/<int:event_id>/publish")
def event_publish(event_id: int):
    return _set_published(event_id, published=True)


@bp.post("/events/<int:event_id>/unpublish")
def event_unpublish(event_id: int):
    return _set_published(event_id, published=False)


def _set_published(event_id: int, *, published: bool):
    event = event_or_403(event_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        event_services.set_published(event.id, published=published, actor=current_user)
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_for("manage.event_edit", event_id=event.id), code=303)


@bp.post("/events/<int:event_id>/duplicate")
def event_duplicate(event_id: int):
    event = event_or_403(event_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    copy = event_services.duplicate_event(event.id, actor=current_user)
    return redirect(url_for("manage.event_edit", event_id=copy.id, created=1), code=303)


@bp.route("/events/<int:event_id>/cancel", methods=["GET", "POST"])
def event_cancel(event_id: int):
    event = event_or_403(event_id)
    form = CancelEventForm()
    counts = registration_queries.active_registration_count(event.id)
    if request.method == "POST" and form.validate():
        try:
            told = event_services.cancel_event(event.id, actor=current_user, message=form.message.data.strip())
        except NotAllowed as exc:
            abort(409, exc.message)
        return redirect(url_for("manage.event_edit", event_id=event.id, told=told), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/event_cancel.html", event=event, form=form, counts=counts), status


# --- agenda and speakers -----------------------------------------------------------------------


def _item_or_404(event: Event, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.event_id != event.id:
        abort(404)
    return item


def _render_agenda(event: Event, *, item_form: AgendaItemForm | None = None, speaker_form: SpeakerForm | None = None,
                   status: int = 200):  # fmt: skip
    if item_form is None:
        item_form = AgendaItemForm(speakers=event.speakers, formdata=None)
        last_end = max((i.ends_at for i in event.agenda_items), default=event.starts_at)
        item_form.starts_at.data = utc_to_local(last_end, event.timezone)
        item_form.ends_at.data = utc_to_local(last_end + timedelta(minutes=15), event.timezone)
    body = render_template(
        "manage/agenda.html",
        event=event,
        item_form=item_form,
        speaker_form=speaker_form or SpeakerForm(formdata=None),
        warnings=agenda_services.warnings(event),
        confirm_form=ConfirmForm(),
    )
    return body, status


@bp.get("/events/<int:event_id>/agenda")
def agenda(event_id: int):
    return _render_agenda(event_or_403(event_id, with_agenda=True))


@bp.post("/events/<int:event_id>/agenda/items")
def agenda_add(event_id: int):
    event = event_or_403(event_id)
    form = AgendaItemForm(speakers=event.speakers)
    if form.validate():
        data = form.to_data(event.timezone)
        if data and _attempt(form, lambda: agenda_services.add_item(event.id, data, actor=current_user)):
            return redirect(url_for("manage.agenda", event_id=event.id), code=303)
    return _render_agenda(event_or_403(event_id, with_agenda=True), item_form=form, status=400)


@bp.route("/events/<int:event_id>/agenda/items/<int:item_id>", methods=["GET", "POST"])
def agenda_edit(event_id: int, item_id: int):
    event = event_or_403(event_id)
    item = _item_or_404(event, item_id)
    form = AgendaItemForm(speakers=event.speakers, obj=item)
    if request.method == "GET":
        form.starts_at.data = utc_to_local(item.starts_at, event.timezone)
        form.ends_at.data = utc_to_local(item.ends_at, event.timezone)
        form.kind.data = item.kind.value
        form.speaker_ids.data = [link.speaker_id for link in item.speaker_links]
    elif form.validate():
        data = form.to_data(event.timezone)
        if data and _attempt(form, lambda: agenda_services.update_item(item.id, data, actor=current_user) or True):
            return redirect(url_for("manage.agenda", event_id=event.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/agenda_item.html", event=event, item=item, form=form), status


@bp.post("/events/<int:event_id>/agenda/items/<int:item_id>/remove")
def agenda_remove(event_id: int, item_id: int):
    event = event_or_403(event_id)
    item = _item_or_404(event, item_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    agenda_services.remove_item(item.id, actor=current_user)
    return redirect(url_for("manage.agenda", event_id=event.id), code=303)


@bp.post("/events/<int:event_id>/agenda/items/<int:item_id>/move")
def agenda_move(event_id: int, item_id: int):
    event = event_or_403(event_id)
    item = _item_or_404(event, item_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    agenda_services.move_item(item.id, up=request.form.get("direction") != "down", actor=current_user)
    return redirect(url_for("manage.agenda", event_id=event.id), code=303)


@bp.post("/events/<int:event_id>/speakers")
def speaker_add(event_id: int):
    event = event_or_403(event_id, with_agenda=True)
    form = SpeakerForm()
    if form.validate():
        speaker_services.add_speaker(
            event.id,
            SpeakerData(name=form.name.data, job_title=form.job_title.data or "", email=form.email.data or "",
                        organisation=form.organisation.data or "", bio=form.bio.data or ""),
            actor=current_user,
        )  # fmt: skip
        return redirect(url_for("manage.agenda", event_id=event.id), code=303)
    return _render_agenda(event, speaker_form=form, status=400)


# --- check-in on the day -----------------------------------------------------------------------


@bp.get("/events/<int:event_id>/check-in")
def check_in(event_id: int):
    event = event_or_403(event_id)
    q = (without_control_characters(request.args.get("q", "")) or "")[:100]
    mode = request.args.get("mode", "")
    attendance = AttendanceMode(mode) if event.is_hybrid and mode in set(AttendanceMode) else None
    people, arrived, total = queries.check_in_list(event.id, q, attendance)
    return render_template(
        "manage/check_in.html", event=event, people=people, arrived=arrived, total=total, q=q,
        mode=attendance.value if attendance else "", modes=AttendanceMode, confirm_form=ConfirmForm(),
        mode_split=registration_queries.mode_figures(event),
    )  # fmt: skip


@bp.post("/events/<int:event_id>/check-in/<int:registration_id>")
def check_in_person(event_id: int, registration_id: int):
    event = event_or_403(event_id)
    registration = registration_or_404(event, registration_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        services.check_in(registration.id, actor=current_user, undo=request.form.get("undo") == "1")
    except NotAllowed as exc:
        abort(409, exc.message)
    back: dict[str, Any] = {"q": request.args.get("q", "")}
    if request.args.get("mode"):  # the list the organiser was looking at (no empty mode in the address)
        back["mode"] = request.args["mode"]
    return redirect(url_for("manage.check_in", event_id=event.id, **back), code=303)


@bp.route("/events/<int:event_id>/registrations/new", methods=["GET", "POST"])
def add_person(event_id: int):
    event = event_or_403(event_id)
    form = AddPersonForm()
    if request.method == "GET":
        form.country.data = default_country(event, str(get_locale()))
    if request.method == "POST" and form.validate():
        person = RegistrationData(
            name=form.name.data or "", email=form.email.data or "", organisation=form.organisation.data or "",
            organisation_type=OrganisationType(form.organisation_type.data), country=form.country.data or "",
            job_title=form.job_title.data or "", organisation_number=form.organisation_number.data or "",
            accept_privacy=False, locale=str(get_locale()),
            attendance=AttendanceMode(form.attendance.data) if form.attendance.data else None,
        )  # fmt: skip
        try:
            services.register(event.id, person, added_by=current_user)
        except AlreadyRegistered:
            form.email.errors = [*form.email.errors, _("This address is already registered for the event.")]
        except (ValidationFailed, RegistrationClosed) as exc:
            _field_error(form, exc if isinstance(exc, ValidationFailed) else ValidationFailed(None, exc.message))
        else:
            return redirect(url_for("manage.registrations", event_id=event.id), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/add_person.html", event=event, form=form), status


# --- the event's team --------------------------------------------------------------------------


@bp.route("/events/<int:event_id>/team", methods=["GET", "POST"])
def team(event_id: int):
    event = event_or_403(event_id, with_agenda=True)
    form = ManagerForm()
    may_change = can_change_team(current_user, event)
    if request.method == "POST":
        if not may_change:
            abort(403)
        if form.validate() and _attempt(
            form, lambda: account_services.add_manager(event.id, form.email.data or "", actor=current_user)
        ):
            return redirect(url_for("manage.team", event_id=event.id), code=303)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST":
        db.session.expire_all()  # a refused add was rolled back: read the team afresh
        event = event_or_403(event_id, with_agenda=True)
    return render_template("manage/team.html", event=event, form=form, may_change=may_change,
                           confirm_form=ConfirmForm()), status  # fmt: skip


@bp.post("/events/<int:event_id>/team/<int:user_id>/remove")
def team_remove(event_id: int, user_id: int):
    event = event_or_403(event_id)
    if not can_change_team(current_user, event):
        abort(403)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    account_services.remove_manager(event.id, user_id, actor=current_user)
    return redirect(url_for("manage.team", event_id=event.id), code=303)
