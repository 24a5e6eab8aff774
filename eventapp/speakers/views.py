"""The speaker portal (/speaker/<token>): a speaker's agenda items, their slides per item (upload,
replace, withdraw) and how the agenda shows them. No account: the personal link is the key.

Uploads are plain multipart form posts: a redirect (303) when kept, the page with the message at the
file field (400) when refused. static/js/upload.js sends the same form with XMLHttpRequest to show
progress, asking for JSON (Accept: application/json): then the answer is ``{"location": ...}`` or the
errors blueprint's ``{"error": {"status", "title", "detail"}}``.
"""

from __future__ import annotations

from email.utils import parseaddr

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from eventapp import errors
from eventapp.errors import ValidationFailed, wants_json
from eventapp.extensions import db, limiter
from eventapp.materials import uploads
from eventapp.materials.models import Material
from eventapp.registrations.forms import ConfirmForm
from eventapp.speakers import queries, services, slides
from eventapp.speakers.forms import ProfileForm, SlidesForm, upload_limits
from eventapp.speakers.models import Speaker

bp = Blueprint("speakers", __name__)


def _portal_limit() -> str:
    return current_app.config["RATELIMIT_SIGNUP"]


@bp.after_request
def _private(response: Response) -> Response:
    """The pages carry a personal link: never cached, never indexed, the address never sent onwards."""
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def contact_address() -> str:
    """Where a speaker whose link does not work can write: the address eventapp's mail comes from."""
    return parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]


def _speaker_or_abort(token: str) -> Speaker:
    """The speaker the link opens the portal for; else a page saying why (404 unknown, 410 revoked or
    expired) and whom to contact. Nothing is read from the request body before this passes."""
    check = queries.speaker_for_token(token)
    if check.speaker is not None:
        return check.speaker
    status = 404 if check.problem is queries.LinkProblem.UNKNOWN else 410
    page = render_template(
        "speakers/link_problem.html", problem=check.problem, event=check.event, contact=contact_address()
    )
    abort(Response(page, status=status, mimetype="text/html"))


def _render_portal(
    speaker: Speaker,
    token: str,
    *,
    profile_form: ProfileForm | None = None,
    failed: tuple[int, SlidesForm] | None = None,
    status: int = 200,
):
    items = queries.portal_items(speaker)
    upload_forms = {}
    for entry in items:
        form = failed[1] if failed is not None and failed[0] == entry.item.id else SlidesForm(formdata=None)
        upload_forms[entry.item.id] = form.for_item(entry.item.id, replacing=entry.current is not None)
    body = render_template(
        "speakers/portal.html",
        speaker=speaker,
        event=speaker.event,
        token=token,
        items=items,
        upload_forms=upload_forms,
        profile_form=profile_form or ProfileForm(formdata=None, obj=speaker),
        max_mb=current_app.config["MAX_UPLOAD_MB"],
        limits=upload_limits(),
        done=request.args.get("done", ""),
        done_item=request.args.get("item", type=int),
    )
    return body, status


@bp.get("/speaker/<token>")
def portal(token: str):
    return _render_portal(_speaker_or_abort(token), token)


@bp.post("/speaker/<token>/items/<int:item_id>/slides")
@limiter.limit(_portal_limit)
def upload(token: str, item_id: int):
    """Slides for one of the speaker's agenda items: the first file, or a newer version."""
    speaker = _speaker_or_abort(token)
    if not any(link.agenda_item_id == item_id for link in speaker.agenda_links):
        abort(404)
    form = SlidesForm()
    if form.validate():
        upload = uploads.Upload(form.file.data.stream, form.file.data.filename or "")
        try:
            slides.upload_slides(speaker.id, item_id, upload)
        except ValidationFailed as exc:
            db.session.rollback()
            if exc.field == "file":
                form.file.errors = [*form.file.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            location = url_for("speakers.portal", token=token, done="uploaded", item=item_id, _anchor=f"item-{item_id}")
            if wants_json():
                return jsonify(location=location)
            return redirect(location, code=303)
    if wants_json():
        message = next(iter(form.file.errors), None) or next(iter(form.form_errors), None) or _("Please try again.")
        title = _("The file was not uploaded")
        return jsonify(error={"status": 400, "title": title, "detail": message, "field": form.file.id}), 400
    return _render_portal(speaker, token, failed=(item_id, form), status=400)


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc: RequestEntityTooLarge):
    """A body over MAX_CONTENT_LENGTH is refused before it is read: the speaker's page again, with the limit
    stated at the file field (JSON for the progress script; the general page for anything else)."""
    args = request.view_args or {}
    check = queries.speaker_for_token(str(args.get("token", "")))
    if request.endpoint != "speakers.upload" or wants_json() or check.speaker is None:
        return errors.handle_too_large(exc)
    form = SlidesForm(formdata=None)
    form.file.errors = [errors.too_large_detail()]
    body, _status = _render_portal(check.speaker, args["token"], failed=(int(args["item_id"]), form))
    return body, 413


def _own_material_or_404(speaker: Speaker, material_id: int) -> Material:
    material = db.session.get(Material, material_id)
    if material is None or material.speaker_id != speaker.id or material.current_file is None:
        abort(404)
    return material


@bp.route("/speaker/<token>/slides/<int:material_id>/withdraw", methods=["GET", "POST"])
@limiter.limit(_portal_limit, methods=["POST"])
def withdraw(token: str, material_id: int):
    """Take the slides off (a deliberate second step); the organisers keep the versions."""
    speaker = _speaker_or_abort(token)
    material = _own_material_or_404(speaker, material_id)
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        uploads.withdraw(material.id, by_speaker=speaker)
        item = material.agenda_item_id
        return redirect(url_for("speakers.portal", token=token, done="withdrawn", item=item,
                                _anchor=f"item-{item}"), code=303)  # fmt: skip
    status = 400 if request.method == "POST" else 200
    return render_template(
        "speakers/withdraw.html", speaker=speaker, event=speaker.event, material=material, token=token, form=form
    ), status


@bp.post("/speaker/<token>/profile")
@limiter.limit(_portal_limit)
def profile(token: str):
    speaker = _speaker_or_abort(token)
    form = ProfileForm()
    if form.validate():
        try:
            services.update_profile(
                speaker.id,
                name=form.name.data or "",
                job_title=form.job_title.data or "",
                organisation=form.organisation.data or "",
                bio=form.bio.data or "",
            )
        except ValidationFailed as exc:
            db.session.rollback()
            field = getattr(form, exc.field or "", None)
            if field is not None:
                field.errors = [*field.errors, exc.message]
            else:
                form.form_errors.append(exc.message)
        else:
            return redirect(url_for("speakers.portal", token=token, done="saved", _anchor="profile"), code=303)
    return _render_portal(speaker, token, profile_form=form, status=400)
