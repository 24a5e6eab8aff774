"""Domain errors, and the one blueprint that turns any error into a page or a JSON answer.

Services raise the domain errors below; views catch them and put the message next to the form field
(``ValidationFailed.field``). Anything a view does not catch ends up here: an HTTP error becomes a
friendly page (or JSON for API clients) with the right status; an unexpected exception rolls the
session back and becomes a 500 page, except under ``TESTING``, where it is re-raised so that the test
fails loudly instead of seeing a polite page.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

from eventapp.extensions import db

log = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain said no. ``message`` is meant for the person using the app."""

    status_code = 400

    def __init__(self, message: str | None = None) -> None:
        self.message = message or str(self.default_message)
        super().__init__(self.message)

    default_message = _l("The request could not be completed.")


class ValidationFailed(DomainError):
    """Input broke a rule; ``field`` names the form field the message belongs to (or None)."""

    status_code = 400

    def __init__(self, field: str | None, message: str) -> None:
        self.field = field
        super().__init__(message)


class NotFound(DomainError):
    status_code = 404
    default_message = _l("We could not find that page.")


bp = Blueprint("errors", __name__)

#: Titles and explanations shown on error pages, by status code.
_EXPLANATIONS = {
    400: (_l("Something in the request was not right"), _l("Please check what you entered and try again.")),
    403: (_l("You do not have access to this page"), _l("If you think you should, contact the organiser.")),
    404: (
        _l("Page not found"),
        _l("The page may have moved, or the event may not be published yet. Check the address."),
    ),
    405: (_l("That action is not allowed here"), _l("Go back to the page and try again.")),
    409: (_l("That did not go through"), _l("Someone else changed this at the same time. Please try again.")),
    413: (_l("That was too large"), _l("Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("Please wait a minute and try again.")),
    503: (
        _l("The service is not available just now"),
        _l(
            "Our database is not answering. Please try again in a few minutes. If you sent a form, check afterwards "
            "whether it was saved."
        ),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l("The error has been logged. Please try again in a moment; nothing you sent has been lost."),
    ),
}


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def error_response(status: int, detail: str | None = None):
    """The error page (or JSON) for ``status``. It depends on no request data beyond the choice of language
    and of JSON: its language links go to the front page (``g.error_page``). Should drawing it fail all
    the same, a static page goes out, with the status and the security headers, never the server's own."""
    title, explanation = _EXPLANATIONS.get(status, _EXPLANATIONS[500 if status >= 500 else 400])
    try:
        if wants_json():
            body = jsonify(error={"status": status, "title": str(title), "detail": detail or str(explanation)})
            return body, status
        g.error_page = True
        return (
            render_template("errors/error.html", status=status, title=title, explanation=explanation, detail=detail),
            status,
        )
    except Exception:  # whatever broke, the visitor still gets an answer
        if current_app.testing and not current_app.config.get("EVENTAPP_RENDER_500_IN_TESTS"):
            raise  # under tests a broken error page fails the test, as any other unexpected error does
        log.exception("The error page for %s could not be drawn; sending the static one", status)
        return static_error_page(status)


#: The page that goes out when even the error page cannot be drawn: no template, no translation, no input.
_STATIC_ERROR_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Error {status}</title></head>'
    "<body><main><h1>Error {status}</h1><p>Something went wrong. Please try again in a moment, or go to the "
    '<a href="/">list of events</a>.</p></main></body></html>'
)


def static_error_page(status: int) -> Response:
    from eventapp.security import SECURITY_HEADERS

    code = status if 400 <= status <= 599 else 500
    response = Response(_STATIC_ERROR_PAGE.format(status=int(code)), status=code, mimetype="text/html")
    response.headers.update(SECURITY_HEADERS)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.before_app_request
def refuse_nul_characters() -> None:
    """A NUL character cannot be typed, and PostgreSQL cannot store one in text: a form that carries one
    (a broken client, or a probe) gets a 400 that says so, before any view tries to save it."""
    if (
        request.method in ("POST", "PUT", "PATCH")
        and request.mimetype
        in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        and any("\x00" in value for _name, values in request.form.lists() for value in values)
    ):
        abort(400, description=str(_l("The form contained a character that cannot be stored (NUL). Please "
                                      "type the text again.")))  # fmt: skip


@bp.before_app_request
def refuse_files_in_text_fields() -> None:
    """A multipart form may carry a file only where a form has a file field. A file part named like a
    text field (``name``, ``title``: a hand-made request) would reach the form as a file object instead
    of text; it gets a 400 that says so, before any view reads the form."""
    posted = request.method in ("POST", "PUT", "PATCH") and request.mimetype == "multipart/form-data"
    if posted and request.files and not all(_is_file_field(name) for name in request.files):
        abort(400, description=str(_l("The form sent a file where text was expected. Please fill in the form "
                                      "again and send it from the page.")))  # fmt: skip


def _is_file_field(name: str) -> bool:
    """``name`` is a file field's, alone or behind a form prefix (``file-file``, ``items-0-file``)."""
    names = file_field_names()
    return name in names or any(name.endswith(f"{separator}{field}") for field in names for separator in "-_;:/.")


def file_field_names() -> set[str]:
    """The names of every file field of every form in the app (read from the form classes, so a new
    upload form is known without a list to keep up to date)."""
    from wtforms import Form  # noqa: TID251 - walks the subclasses of every form class, whatever their base
    from wtforms.fields import FileField
    from wtforms.fields.core import UnboundField

    names: set[str] = set()
    pending = list(Form.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        for attribute, value in vars(form_class).items():
            if isinstance(value, UnboundField) and issubclass(value.field_class, FileField):
                names.add(value.kwargs.get("name") or attribute)
    return names


@bp.app_errorhandler(HTTPException)
def handle_http_error(exc: HTTPException):
    if isinstance(exc, InternalServerError):
        return handle_unexpected(exc.original_exception or exc)
    status = exc.code or 500
    response = error_response(status, _detail_of(exc))
    if status == 405 and exc.get_response().headers.get("Allow"):
        body, code = response
        return body, code, {"Allow": exc.get_response().headers["Allow"]}
    return response


def too_large_detail() -> str:
    """The message for a request over ``MAX_CONTENT_LENGTH`` (in practice: a file over ``MAX_UPLOAD_MB``)."""
    return str(_l("The file is larger than %(mb)s MB. Please make it smaller (for example, export the slides as PDF, "
                  "or compress the pictures) and try again.", mb=current_app.config["MAX_UPLOAD_MB"]))  # fmt: skip


@bp.app_errorhandler(RequestEntityTooLarge)
def handle_too_large(exc: RequestEntityTooLarge):
    """Werkzeug stops reading a body over ``MAX_CONTENT_LENGTH``: say which limit it went over (a form
    field over ``MAX_FORM_MEMORY_SIZE`` gets the general explanation)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    over_the_upload_limit = bool(limit) and (request.content_length or 0) > limit
    return error_response(413, too_large_detail() if over_the_upload_limit else None)


@bp.app_errorhandler(DomainError)
def handle_domain_error(exc: DomainError):
    return error_response(exc.status_code, exc.message)


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
def handle_database_away(exc: Exception):
    """The database refused, dropped or is restarting: the app's own page with 503 (and its security
    headers), never the WSGI server's bare 500."""
    with contextlib.suppress(Exception):  # the connection may be gone: rolling back can fail too
        db.session.rollback()
    log.error("database unavailable: %s", str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
    return error_response(503)


@bp.app_errorhandler(Exception)
def handle_unexpected(exc: BaseException):
    db.session.rollback()
    if current_app.testing and not current_app.config.get("EVENTAPP_RENDER_500_IN_TESTS"):
        raise exc
    log.exception("Unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return error_response(500)


def _detail_of(exc: HTTPException) -> str | None:
    """Only a description we wrote ourselves (passed to ``abort``) is shown; Werkzeug's defaults are not."""
    description = exc.description
    if description and description != type(exc).description:
        return str(description)
    return None


class RegistrationClosed(DomainError):
    """The event takes no registrations now (draft, cancelled, past, window closed, or full)."""

    status_code = 409
    default_message = _l("Registration for this event is closed.")


class AlreadyRegistered(DomainError):
    """This address already has an active registration for the event."""

    status_code = 409
    default_message = _l("You are already registered for this event.")

    def __init__(self, registration_id: int, message: str | None = None) -> None:
        self.registration_id = registration_id
        super().__init__(message)


class NotAllowed(DomainError):
    """The action does not fit the current state (for example cancelling twice)."""

    status_code = 409
    default_message = _l("That is not possible any more.")
