"""Messages to attendees: write, preview (with who gets it), send through the outbox, follow progress."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import ValidationFailed
from eventapp.extensions import db
from eventapp.mailings import messages, queries, services
from eventapp.mailings.forms import ATTENDANCE_LABELS, MailingForm
from eventapp.mailings.models import Mailing
from eventapp.manage.blueprint import attempt, bp, event_or_403, field_error
from eventapp.registrations.enums import RegistrationStatus

#: How many of the recipients the preview lists by name.
PREVIEW_NAMES = 50


def _mailing_or_404(event_id: int, mailing_id: int) -> tuple[object, Mailing]:
    event = event_or_403(event_id)
    mailing = db.session.get(Mailing, mailing_id)
    if mailing is None or mailing.event_id != event.id:
        abort(404)
    return event, mailing


@bp.get("/events/<int:event_id>/messages")
def mailings(event_id: int):
    event = event_or_403(event_id)
    return render_template("manage/mailings.html", event=event, rows=queries.mailings_of_event(event.id))


@bp.route("/events/<int:event_id>/messages/new", methods=["GET", "POST"])
def mailing_new(event_id: int):
    event = event_or_403(event_id)
    form = MailingForm() if request.method == "POST" else MailingForm(request.args or None)
    if request.method == "GET":
        form.expected.data = ""
        return render_template("manage/mailing_form.html", event=event, form=form, preview=None)
    if not form.validate():
        return render_template("manage/mailing_form.html", event=event, form=form, preview=None), 400
    audience = form.audience()
    if "send" in request.form:
        mailing = attempt(
            form,
            lambda: services.send_mailing(
                event.id,
                subject=form.subject.data,
                body=form.body.data,
                audience=audience,
                actor=current_user,
                expected=form.expected_count(),
            ),
        )
        if mailing:
            return redirect(url_for("manage.mailing", event_id=event.id, mailing_id=mailing.id, sent=1), code=303)
    preview = _preview(event.id, form, audience)
    status = 400 if form.errors else 200
    return render_template("manage/mailing_form.html", event=event, form=form, preview=preview), status


def _preview(event_id: int, form: MailingForm, audience: queries.Audience) -> dict | None:
    """The mail as the first recipient will get it, and who else gets it; None (with a message at the
    field) when nobody matches."""
    count = queries.count_recipients(event_id, audience)
    form.expected.data = str(count)
    if count == 0:
        if not form.statuses.errors:
            field_error(form, ValidationFailed("statuses", _no_one()))
        return None
    people = list(db.session.scalars(queries.recipients(event_id, audience).limit(PREVIEW_NAMES)))
    mail = messages.organiser_message(
        people[0], subject=form.subject.data.strip(), body=form.body.data.strip(), manage_url=None
    )
    return {"count": count, "people": people, "mail": mail, "first": people[0]}


def _no_one() -> str:
    return _("No one registered for this event matches these choices.")


@bp.get("/events/<int:event_id>/messages/<int:mailing_id>")
def mailing(event_id: int, mailing_id: int):
    event, mailing = _mailing_or_404(event_id, mailing_id)
    progress = queries.progress_of(mailing.id)
    return render_template(
        "manage/mailing.html",
        event=event,
        mailing=mailing,
        progress=progress,
        failed=queries.failed_mails(mailing.id) if progress.failed else [],
        statuses=[RegistrationStatus(s).label for s in mailing.statuses],
        attendance=ATTENDANCE_LABELS[mailing.attendance],
        just_sent=request.args.get("sent") == "1",
        retried=request.args.get("retried", type=int),
    )


@bp.post("/events/<int:event_id>/messages/<int:mailing_id>/retry")
def mailing_retry(event_id: int, mailing_id: int):
    event, mailing = _mailing_or_404(event_id, mailing_id)
    count = services.retry_failed(mailing.id, actor=current_user)
    return redirect(url_for("manage.mailing", event_id=event.id, mailing_id=mailing.id, retried=count), code=303)


@bp.get("/events/<int:event_id>/messages/<int:mailing_id>/progress")
def mailing_progress(event_id: int, mailing_id: int):
    """The delivery counts as JSON, for the page to update itself while mails go out."""
    _event, mailing = _mailing_or_404(event_id, mailing_id)
    progress = queries.progress_of(mailing.id)
    return {"queued": progress.queued, "sent": progress.sent, "failed": progress.failed, "done": progress.done}
