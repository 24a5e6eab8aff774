"""Change logs outside events: a programme's (/manage/programmes/<id>/audit: the programme, its contact
persons, people, partners, interest list and calls; for those who may manage the programme) and the
site's (/manage/audit: everything with no event, by area; administrators only). An event's own change
log is ``views.audit``; all three are drawn by one macro (templates/manage/_audit_log.html)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, current_app, render_template, request
from flask_login import current_user

from eventapp.manage import audit_queries
from eventapp.manage.audit_forms import ChangeLogFilterForm
from eventapp.manage.blueprint import bp
from eventapp.manage.programme_views import _programme_or_403


def _site_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["EVENTAPP_DEFAULT_TIMEZONE"])


@bp.get("/programmes/<int:programme_id>/audit")
def programme_audit(programme_id: int):
    programme = _programme_or_403(programme_id)
    zone = ZoneInfo(programme.timezone)  # the programme's zone, as its calls' times
    lines = audit_queries.programme_log(programme.id, zone=zone)
    return render_template("manage/programme_audit.html", programme=programme, entries=lines, zone=zone)


@bp.get("/audit")
def site_audit():
    if not current_user.is_admin:
        abort(403)
    form = ChangeLogFilterForm(request.args)
    valid = form.validate()
    zone = _site_zone()
    page = audit_queries.site_log(form.chosen_area, form.page_number, zone=zone)
    body = render_template("manage/site_audit.html", form=form, page=page, zone=zone)
    return body, (200 if valid else 400)
