"""The back office blueprint and what every page of it shares: sign-in, no caching, and the permission
checks that turn an id into an event (or a 403). Views live in several modules of this package, each
about one job; they all register their routes on ``bp``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload

from eventapp.accounts.models import EventManager
from eventapp.agenda.models import AgendaItem, AgendaItemSpeaker
from eventapp.errors import ValidationFailed
from eventapp.events.models import Event
from eventapp.events.permissions import can_manage_event
from eventapp.extensions import db
from eventapp.registrations.models import Registration

bp = Blueprint("manage", __name__, url_prefix="/manage")


@bp.before_request
@login_required
def _signed_in() -> None:
    """Every page here needs a signed-in organiser (anonymous visitors go to the sign-in page)."""


@bp.after_request
def _private(response: Response) -> Response:
    response.headers["Cache-Control"] = "private, no-store"
    return response


def event_or_403(event_id: int, *, with_agenda: bool = False) -> Event:
    """The event (404) if the signed-in organiser may manage it (403). ``with_agenda`` loads its agenda,
    speakers and team in a fixed number of queries, whatever their size."""
    options = (
        [
            selectinload(Event.agenda_items)
            .selectinload(AgendaItem.speaker_links)
            .joinedload(AgendaItemSpeaker.speaker),
            selectinload(Event.speakers),
            selectinload(Event.managers).joinedload(EventManager.user),
        ]
        if with_agenda
        else []
    )
    event = db.session.get(Event, event_id, options=options)
    if event is None:
        abort(404)
    if not can_manage_event(current_user, event):
        abort(403)
    return event


def registration_or_404(event: Event, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.event_id != event.id:
        abort(404)
    return registration


def field_error(form: Any, exc: ValidationFailed) -> None:
    field = getattr(form, exc.field or "", None)
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def attempt(form: Any, action: Any) -> Any:
    """Run one service call; a ValidationFailed goes back onto the form's field. The call's result, or
    None when it was refused."""
    try:
        return action()
    except ValidationFailed as exc:
        db.session.rollback()
        field_error(form, exc)
        return None
