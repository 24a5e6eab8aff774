"""Stopping the "new materials" mails from the link in one: ``/r/<token>/material-news``."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _

from eventapp.materialnews import services
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.forms import ConfirmForm

bp = Blueprint("materialnews", __name__)


@bp.route("/r/<token>/material-news", methods=["GET", "POST"])
def stop(token: str):
    registration = registration_queries.by_token(token)
    if registration is None:
        abort(404, _("This link is not valid. It may have been mistyped, or replaced by a newer one."))
    form = ConfirmForm()
    stopped = services.opted_out(registration.id)
    status = 200
    if request.method == "POST":
        if form.validate():
            services.opt_out(registration.id)
            stopped = True
        else:
            status = 400
    return render_template(
        "materialnews/stop.html", registration=registration, event=registration.event, token=token, form=form,
        stopped=stopped,
    ), status  # fmt: skip
