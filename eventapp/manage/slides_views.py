"""Speakers' slides on the Materials tab: the event's choice of when they publish, and "publish all that
is ready" with a preview of exactly what becomes visible."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.events.enums import SlidesPublish
from eventapp.manage.blueprint import bp, event_or_403
from eventapp.materials import slides_policy as slides
from eventapp.registrations.forms import ConfirmForm


@bp.post("/events/<int:event_id>/materials/slides-policy")
def slides_policy(event_id: int):
    event = event_or_403(event_id)
    value = request.form.get("slides_publish", "")
    if not ConfirmForm().validate() or value not in {p.value for p in SlidesPublish}:
        abort(400)
    slides.set_policy(event.id, SlidesPublish(value), actor=current_user)
    return redirect(url_for("manage.materials", event_id=event.id, done="saved"), code=303)


@bp.route("/events/<int:event_id>/materials/ready", methods=["GET", "POST"])
def slides_ready(event_id: int):
    """GET: the preview (each ready draft, with its speaker and talk). POST: publish those (the ids the
    preview showed, sent back with it, so nothing unseen becomes visible)."""
    event = event_or_403(event_id)
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate():
            abort(400)
        seen = [int(v) for v in request.form.getlist("material") if v.isdigit() and len(v) < 10]
        published = slides.publish_ready(event.id, actor=current_user, expected=seen)
        return redirect(url_for("manage.slides_ready", event_id=event.id, published=len(published)), code=303)
    return render_template(
        "manage/slides_ready.html",
        event=event,
        ready=slides.ready_drafts(event.id),
        form=form,
        published=request.args.get("published", type=int),
    )
