"""The back office's speakers page: who has uploaded slides for which agenda item, personal links
(invite, send again, revoke), a reminder to those whose slides are missing, uploads on a speaker's
behalf, and correcting a speaker's details."""

from __future__ import annotations

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import ValidationFailed, wants_json
from eventapp.events.models import Event
from eventapp.extensions import db
from eventapp.manage.blueprint import attempt, bp, event_or_403
from eventapp.manage.forms import SpeakerForm
from eventapp.materials import uploads
from eventapp.registrations.forms import ConfirmForm
from eventapp.speakers import queries, services, slides
from eventapp.speakers.forms import SlidesForm, upload_limits
from eventapp.speakers.models import Speaker
from eventapp.speakers.services import SpeakerData


def _speaker_or_404(event: Event, speaker_id: int) -> Speaker:
    speaker = queries.event_speaker(event.id, speaker_id)
    if speaker is None:
        abort(404)
    return speaker


def _confirmed() -> None:
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))


def _render_speakers(
    event: Event,
    *,
    failed_upload: tuple[int, int, SlidesForm] | None = None,
    problem: tuple[int, str] | None = None,
    status: int = 200,
):
    rows = queries.speaker_rows(event.id)
    upload_forms = {}
    for row in rows:
        for entry in row.items:
            key = (row.speaker.id, entry.item.id)
            form = failed_upload[2] if failed_upload is not None and failed_upload[:2] == key else None
            form = form or SlidesForm(formdata=None)
            upload_forms[key] = form.for_item(f"{key[0]}-{key[1]}", replacing=entry.current is not None)
    body = render_template(
        "manage/speakers.html",
        event=event,
        rows=rows,
        due=[row for row in rows if row.is_due_a_reminder],
        upload_forms=upload_forms,
        limits=upload_limits(),
        problem=problem,
        confirm_form=ConfirmForm(),
        done=request.args.get("done", ""),
        count=request.args.get("count", type=int),
        done_speaker=request.args.get("speaker", type=int),
        link_days=services.LINK_DAYS_AFTER_EVENT,
    )
    return body, status


@bp.get("/events/<int:event_id>/speakers")
def speakers(event_id: int):
    return _render_speakers(event_or_403(event_id))


def _back(event: Event, done: str, **args: int):
    return redirect(url_for("manage.speakers", event_id=event.id, done=done, **args), code=303)


@bp.post("/events/<int:event_id>/speakers/<int:speaker_id>/invite")
def speaker_invite(event_id: int, speaker_id: int):
    """Mail the speaker their personal link (again: a new link; earlier ones keep working)."""
    event = event_or_403(event_id)
    speaker = _speaker_or_404(event, speaker_id)
    _confirmed()
    try:
        services.invite(speaker.id, actor=current_user)
    except ValidationFailed as exc:
        db.session.rollback()
        return _render_speakers(event, problem=(speaker_id, exc.message), status=400)
    return _back(event, "invited", speaker=speaker_id)


@bp.post("/events/<int:event_id>/speakers/<int:speaker_id>/revoke")
def speaker_revoke(event_id: int, speaker_id: int):
    """Switch off every link the speaker has (sending the link again makes a new one)."""
    event = event_or_403(event_id)
    speaker = _speaker_or_404(event, speaker_id)
    _confirmed()
    services.revoke_links(speaker.id, actor=current_user)
    return _back(event, "revoked", speaker=speaker_id)


@bp.post("/events/<int:event_id>/speakers/remind")
def speakers_remind(event_id: int):
    """Remind every invited speaker whose slides are missing (the page showed how many first)."""
    event = event_or_403(event_id)
    _confirmed()
    count = services.remind_missing(event.id, actor=current_user)
    return _back(event, "reminded", count=count)


@bp.post("/events/<int:event_id>/speakers/<int:speaker_id>/items/<int:item_id>/slides")
def speaker_slides_upload(event_id: int, speaker_id: int, item_id: int):
    """Upload slides on a speaker's behalf (the same rules as the speaker's own upload)."""
    event = event_or_403(event_id)
    speaker = _speaker_or_404(event, speaker_id)
    if not any(link.agenda_item_id == item_id for link in speaker.agenda_links):
        abort(404)
    form = SlidesForm()
    if form.validate():
        upload = uploads.Upload(form.file.data.stream, form.file.data.filename or "")
        try:
            slides.upload_slides(speaker.id, item_id, upload, by_user=current_user)
        except ValidationFailed as exc:
            db.session.rollback()
            if exc.field == "file":
                form.file.errors = [*form.file.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            if wants_json():  # static/js/upload.js: it loads the page itself (a redirect it would not show)
                return jsonify(location=url_for("manage.speakers", event_id=event.id, done="uploaded",
                                                speaker=speaker_id))  # fmt: skip
            return _back(event, "uploaded", speaker=speaker_id)
    if wants_json():
        message = next(iter(form.file.errors), None) or next(iter(form.form_errors), None) or _("Please try again.")
        title = _("The file was not uploaded")
        return jsonify(error={"status": 400, "title": title, "detail": message, "field": form.file.id}), 400
    return _render_speakers(event, failed_upload=(speaker_id, item_id, form), status=400)


@bp.route("/events/<int:event_id>/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def speaker_edit(event_id: int, speaker_id: int):
    """Correct a speaker's details: what the agenda shows, and the address their link goes to."""
    event = event_or_403(event_id)
    speaker = _speaker_or_404(event, speaker_id)
    form = SpeakerForm(obj=speaker)
    if request.method == "POST" and form.validate():
        data = SpeakerData(
            name=form.name.data or "",
            job_title=form.job_title.data or "",
            organisation=form.organisation.data or "",
            email=form.email.data or "",
            bio=form.bio.data or "",
        )
        if attempt(form, lambda: services.update_speaker(speaker.id, data, actor=current_user)):
            return _back(event, "saved", speaker=speaker_id)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/speaker_form.html", event=event, speaker=speaker, form=form), status
