"""Signing up, and a person's own registration page (/r/<token>)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from eventapp.calendar.ics import Method, event_calendar, registration_uid
from eventapp.calendar.labels import labels_in
from eventapp.calendar.people import organizer_for
from eventapp.errors import AlreadyRegistered, NotAllowed, RegistrationClosed, ValidationFailed
from eventapp.extensions import csrf, limiter
from eventapp.mail.enums import MailReason
from eventapp.registrations import gates, links, personal_data, privacy, queries, services, signals
from eventapp.registrations.enums import AttendanceMode
from eventapp.registrations.forms import ConfirmForm, DetailsForm, LostLinkForm, registration_form
from eventapp.security import takes_at_least
from eventapp.urls import absolute_url

bp = Blueprint("registrations", __name__)


def _signup_limit() -> str:
    return current_app.config["RATELIMIT_SIGNUP"]


def _public_event_or_404(slug: str):
    event = queries.event_for_sign_up(slug)
    if event is None:
        abort(404)
    return event


@bp.route("/events/<slug>/register", methods=["GET", "POST"])
@csrf.exempt  # the form checks its own token, so an expired one gives the form back with what was typed
@limiter.limit(_signup_limit, methods=["POST"])
def register(slug: str):
    event = _public_event_or_404(slug)
    pass_token = request.values.get("pass", "")[:64]
    admission = gates.admission(event, pass_token)
    if not admission.admitted:  # a restricted event, and no pass that lets this person in: say whom to ask
        situation = queries.situation(event, queries.seat_counts(event.id))
        return render_template(
            "registrations/register.html", event=event, situation=situation, form=None, message=admission.reason
        ), (200 if request.method == "GET" else 403)
    form = registration_form(event, admission=admission)
    if request.method == "GET" or not form.validate():
        # The seats are counted for the page only; a sign-up counts them again inside the event's lock.
        situation = queries.situation(event, queries.seat_counts(event.id))
        shown = form if situation.state.accepts_sign_ups else None
        status = 200 if request.method == "GET" else (400 if shown is not None else 409)
        return render_template(
            "registrations/register.html", event=event, situation=situation, form=shown, pass_token=pass_token
        ), status
    try:
        services.register(event.id, form.to_data(event, str(get_locale()), pass_token=pass_token))
    except gates.NotAdmitted as exc:  # the pass stopped letting this person in since the page was shown
        event = _public_event_or_404(slug)
        situation = queries.situation(event, queries.seat_counts(event.id))
        return render_template(
            "registrations/register.html", event=event, situation=situation, form=None, message=exc.message
        ), 403
    except AlreadyRegistered:
        # The same answer as a new sign-up, so the form does not tell who is registered: the person
        # registered gets their link by mail instead (a few times an hour at most).
        links.send_link_again(event.id, form.email.data or "", reason=MailReason.ALREADY_REGISTERED)
    except ValidationFailed as exc:
        field = getattr(form, exc.field or "", None)
        if field is not None:
            field.errors = [*field.errors, exc.message]
        else:
            form.form_errors.append(exc.message)
        event = _public_event_or_404(slug)
        situation = queries.situation(event, queries.seat_counts(event.id))
        return render_template(
            "registrations/register.html", event=event, situation=situation, form=form, pass_token=pass_token
        ), (409 if exc.field == "organisation" else 400)
    except RegistrationClosed as exc:
        event = _public_event_or_404(slug)
        situation = queries.situation(event, queries.seat_counts(event.id))
        return render_template(
            "registrations/register.html", event=event, situation=situation, form=None, message=exc.message
        ), 409
    session[_SENT_TO] = form.email.data or ""
    # ``slug``, not ``event.slug``: the commit expired the event, and reading it again costs a query.
    return redirect(url_for("registrations.sent", slug=slug), code=303)


#: Session key: the address a sign-up was just mailed to, shown once on the "check your inbox" page.
_SENT_TO = "signup_sent_to"


@bp.get("/events/<slug>/register/sent")
def sent(slug: str):
    """ "Check your inbox": the one answer to every accepted sign-up form, new or already registered."""
    event = _public_event_or_404(slug)
    return render_template("registrations/sent.html", event=event, email=session.pop(_SENT_TO, "")), 200


@bp.route("/events/<slug>/lost-link", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def lost_link(slug: str):
    event = _public_event_or_404(slug)
    form = LostLinkForm()
    if request.method == "POST" and form.validate():
        # Finding and mailing a registration takes longer than finding none: the answer waits for the
        # same floor either way, so its timing does not tell who is registered (bench/lost_link_timing.py).
        with takes_at_least(current_app.config["EVENTAPP_LOST_LINK_SECONDS"]):
            links.send_link_again(event.id, form.email.data or "")
        return render_template("registrations/lost_link.html", event=event, form=None, sent=True)
    status = 400 if request.method == "POST" else 200
    return render_template("registrations/lost_link.html", event=event, form=form, sent=False), status


def _registration_or_404(token: str):
    registration = queries.by_token(token)
    if registration is None:
        abort(404, _("This link is not valid. It may have been mistyped, or replaced by a newer one."))
    return registration


def _page_parts(registration) -> dict[str, object]:
    """What the layers above add to the person's page (``signals.registration_page``)."""
    context: dict[str, object] = {}
    for _receiver, part in signals.registration_page.send(registration):
        context.update(part)
    return context


def _switch(registration) -> dict[str, object]:
    """A hybrid event's other mode, with its seats left, for the person's page (nothing otherwise)."""
    event = registration.event
    if not (event.is_hybrid and registration.is_active and not event.is_past() and not event.is_cancelled):
        return {"switch": None}
    other = AttendanceMode.ONLINE if registration.seat_pool is AttendanceMode.ON_SITE else AttendanceMode.ON_SITE
    return {"switch": queries.situation(event, queries.seat_counts(event.id), mode=other).of(other)}


@bp.get("/r/<token>")
def manage(token: str):
    registration = _registration_or_404(token)
    return _manage_page(registration, token)


def _manage_page(registration, token: str, *, switch_message: str = "", status: int = 200):
    return render_template(
        "registrations/manage.html",
        registration=registration,
        event=registration.event,
        token=token,
        position=queries.waitlist_position(registration),
        details_form=DetailsForm(obj=registration),
        confirm_form=ConfirmForm(),
        just_registered=request.args.get("new") == "1",
        saved=request.args.get("saved") == "1",
        switch_message=switch_message,
        switched=request.args.get("switched") == "1",
        **_switch(registration),
        **_page_parts(registration),  # materials: for confirmed attendees, once published
    ), status


@bp.post("/r/<token>/switch")
def switch(token: str):
    """Switch between on site and online at a hybrid event, while the other mode has a free seat."""
    registration = _registration_or_404(token)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        to = AttendanceMode(request.form.get("to", ""))
    except ValueError:
        abort(400, _("Please choose on site or online."))
    try:
        services.switch_attendance(registration.id, to=to)
    except NotAllowed as exc:
        registration = _registration_or_404(token)
        return _manage_page(registration, token, switch_message=exc.message, status=409)
    return redirect(url_for("registrations.manage", token=token, switched=1), code=303)


@bp.post("/r/<token>/details")
def update_details(token: str):
    registration = _registration_or_404(token)
    form = DetailsForm()
    if not form.validate():
        return render_template(
            "registrations/manage.html",
            registration=registration,
            event=registration.event,
            token=token,
            position=queries.waitlist_position(registration),
            details_form=form,
            confirm_form=ConfirmForm(),
            just_registered=False,
            saved=False,
        ), 400
    try:
        services.update_details(
            registration.id,
            name=form.name.data or "",
            job_title=form.job_title.data or "",
            organisation=form.organisation.data or "",
        )
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_for("registrations.manage", token=token, saved=1), code=303)


@bp.route("/r/<token>/cancel", methods=["GET", "POST"])
def cancel(token: str):
    registration = _registration_or_404(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        try:
            services.cancel_registration(registration.id)
        except NotAllowed as exc:
            abort(409, exc.message)
        return redirect(url_for("registrations.manage", token=token), code=303)
    if not registration.can_be_cancelled:
        return redirect(url_for("registrations.manage", token=token), code=303)
    return render_template(
        "registrations/cancel.html", registration=registration, event=registration.event, token=token, form=form
    ), (400 if request.method == "POST" else 200)


@bp.post("/r/<token>/accept")
def accept(token: str):
    registration = _registration_or_404(token)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        services.accept_offer(registration.id)
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_for("registrations.manage", token=token), code=303)


@bp.get("/r/<token>/calendar.ics")
def calendar_file(token: str):
    """The event for this person's calendar: with the join link when they are a confirmed attendee.

    A person who holds an invitation gets it under their invitation's UID and SEQUENCE, so opening
    the file updates that entry instead of adding a second one; anyone else gets the public event."""
    registration = _registration_or_404(token)
    event = registration.event
    own = registration.holds_invitation
    body = event_calendar(
        event,
        method=Method.PUBLISH,
        event_url=absolute_url("events.detail", slug=event.slug),
        organizer=organizer_for(event),
        include_join_url=registration.sees_join_link,
        online_only=event.is_hybrid and not registration.attends_in_person,
        uid=registration_uid(registration) if own else None,
        sequence=registration.invitation_sequence if own else None,
        labels=labels_in(registration.locale),
    )
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{event.slug}.ics"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/r/<token>/my-data")
def my_data(token: str):
    """GDPR access: everything held about this registration's person, as a JSON file."""
    registration = _registration_or_404(token)
    body = personal_data.as_json_file(personal_data.held_about([registration]))
    response = Response(body, mimetype="application/json")
    name = personal_data.file_name(registration.event.slug)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/r/<token>/erase", methods=["GET", "POST"])
def erase(token: str):
    """GDPR erasure, in two deliberate steps: a page that says what goes, then a POST with its CSRF token."""
    registration = _registration_or_404(token)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        event = registration.event
        privacy.erase_registration(registration.id)
        return render_template("registrations/erased.html", event=event)
    return render_template(
        "registrations/erase.html", registration=registration, event=registration.event, token=token, form=form
    ), (400 if request.method == "POST" else 200)
