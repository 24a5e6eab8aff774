"""Statistics in the back office: one event's, and a programme's (all its events together)."""

from __future__ import annotations

from flask import abort, current_app, render_template
from flask_login import current_user

from eventapp.manage.blueprint import bp, event_or_403
from eventapp.programmes.permissions import can_manage_programme
from eventapp.registrations import queries as registration_queries
from eventapp.registrations.enums import RegistrationStatus
from eventapp.statistics import queries, report
from eventapp.statistics.queries import STATUS_ORDER


@bp.get("/events/<int:event_id>/statistics")
def event_statistics(event_id: int):
    event = event_or_403(event_id)
    stats = queries.event_statistics(event)
    programme = event.programme if event.programme_id is not None else None
    return render_template(
        "manage/event_statistics.html",
        event=event,
        stats=stats,
        charts=report.charts_for(stats),
        programme=programme if programme is not None and can_manage_programme(current_user, programme) else None,
        as_of=queries.local_now(event.timezone),
        statuses=STATUS_ORDER,
        waitlisted=RegistrationStatus.WAITLISTED,
        mode_split=registration_queries.mode_figures(event),
        **report.TEMPLATE_HELPERS,
    )


@bp.get("/programmes/<int:programme_id>/statistics")
def programme_statistics(programme_id: int):
    programme = queries.programme_by_id(programme_id)
    if programme is None:
        abort(404)
    if not can_manage_programme(current_user, programme):
        abort(403)
    stats = queries.programme_statistics(
        programme, current_user, default_zone=current_app.config["EVENTAPP_DEFAULT_TIMEZONE"]
    )
    return render_template(
        "manage/programme_statistics.html",
        programme=programme,
        stats=stats,
        charts=report.charts_for(stats),
        as_of=queries.local_now(stats.timeline.zone),
        statuses=STATUS_ORDER,
        waitlisted=RegistrationStatus.WAITLISTED,
        **report.TEMPLATE_HELPERS,
    )
