"""The event's "mail problems" page: mails a person should have got that failed for good, with the
server's answer and a way to correct the address and send again; and whether mail is flowing at all."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.errors import NotAllowed, NotFound
from eventapp.events.models import Event
from eventapp.mail import queries
from eventapp.mailings import services as mailing_services
from eventapp.manage.blueprint import attempt, bp, event_or_403
from eventapp.manage.mail_problem_forms import ResendMailForm


def _render(event: Event, *, invalid: tuple[int, ResendMailForm] | None = None, status: int = 200):
    failed = queries.failed_mails_of_event(event.id)
    forms = {}
    for mail in failed:
        if invalid is not None and invalid[0] == mail.id:
            forms[mail.id] = invalid[1]
        else:
            forms[mail.id] = ResendMailForm(
                prefix=f"mail-{mail.id}", formdata=None, data={"email": mail.recipient_email}
            )
    health = queries.mail_health(max_wait=timedelta(seconds=current_app.config["MAIL_HEALTH_MAX_WAIT_SECONDS"]))
    body = render_template(
        "manage/mail_problems.html",
        event=event,
        failed=failed,
        forms=forms,
        health=health,
        resent=request.args.get("resent") == "1",
        invalid_form=invalid[1] if invalid is not None else None,
    )
    return body, status


@bp.get("/events/<int:event_id>/mail-problems")
def mail_problems(event_id: int):
    return _render(event_or_403(event_id))


@bp.post("/events/<int:event_id>/mail-problems/<int:mail_id>")
def mail_resend(event_id: int, mail_id: int):
    event = event_or_403(event_id)
    form = ResendMailForm(prefix=f"mail-{mail_id}")
    if not form.validate():
        if form.csrf_token.errors:
            abort(400, form.csrf_token.errors[0])
        return _render(event, invalid=(mail_id, form), status=400)
    try:
        done = attempt(
            form,
            lambda: mailing_services.resend_failed_mail(
                mail_id, event_id=event.id, email=form.email.data or "", actor=current_user
            ),
        )
    except NotFound:
        abort(404)
    except NotAllowed as exc:
        abort(409, exc.message)
    if done is None:
        return _render(event, invalid=(mail_id, form), status=400)
    return redirect(url_for("manage.mail_problems", event_id=event.id, resent=1), code=303)
