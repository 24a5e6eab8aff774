"""The back office's GDPR page (/manage/privacy): an organiser finds a person by address across the events
and programmes they may manage (all for an administrator): registrations and interest-list subscriptions
(pending and confirmed); sees what is held, downloads it as JSON, and erases it.

The registrations package knows nothing of interest lists (the layers): this page, the use case, puts the
two together (``registrations.privacy`` and ``interest.privacy``).

Every step is a POST with a CSRF token, so the address never sits in a URL (or a server log)."""

from __future__ import annotations

from flask import Response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, HiddenField
from wtforms.validators import InputRequired

from eventapp.forms import FlaskForm
from eventapp.i18n import LOCALE_NAMES
from eventapp.interest import privacy as interest_privacy
from eventapp.manage.blueprint import bp
from eventapp.registrations import personal_data, privacy
from eventapp.registrations.forms import LostLinkForm


class PersonLookupForm(FlaskForm):
    """The address to look up (the same checks as the "lost your link" form)."""

    email = LostLinkForm.email


class PersonEraseForm(FlaskForm):
    """Step two of erasing a person: the address found in step one, and a deliberate confirmation."""

    email = HiddenField()
    confirm = BooleanField(
        _l("I understand that this deletes the person's registrations and data for good."),
        validators=[InputRequired(message=_l("Tick the box to confirm that the data is to be deleted."))],
    )


def _page(
    lookup: PersonLookupForm,
    *,
    status: int = 200,
    erased: int | None = None,
    unsubscribed: int | None = None,
    **context: object,
):
    page = render_template(
        "manage/privacy.html",
        lookup=lookup,
        erased=erased,
        unsubscribed=unsubscribed,
        locale_names=LOCALE_NAMES,
        **context,
    )
    return page, status


def _held(address: str):
    """The registrations, the subscriptions, and everything held (None when there is nothing)."""
    registrations = privacy.registrations_of_address(address, actor=current_user)
    subscriptions = interest_privacy.subscriptions_of_address(address, actor=current_user)
    if not registrations and not subscriptions:
        return registrations, subscriptions, None
    held = personal_data.held_about(registrations, address=address)
    held["interest_subscriptions"] = interest_privacy.held_about(subscriptions)
    return registrations, subscriptions, held


def _found(address: str, lookup: PersonLookupForm, erase_form: PersonEraseForm | None = None, status: int = 200):
    registrations, subscriptions, held = _held(address)
    erase_form = erase_form or PersonEraseForm(formdata=None, email=address)
    return _page(
        lookup,
        status=status,
        address=address,
        registrations=registrations,
        subscriptions=subscriptions,
        held=held,
        erase_form=erase_form,
    )


@bp.route("/privacy", methods=["GET", "POST"])
def privacy_requests():
    """One address, three steps, each a POST with its CSRF token: find (default), export, erase."""
    if request.method == "GET":
        return _page(PersonLookupForm(formdata=None))
    action = request.form.get("action", "find")
    if action == "erase":
        return _erase()
    lookup = PersonLookupForm()
    if not lookup.validate():
        return _page(lookup, status=400)
    address = privacy.normalise_email(lookup.email.data or "")
    if action == "export":
        return _export(address)
    return _found(address, lookup)


def _export(address: str) -> Response:
    registrations, _subscriptions, held = _held(address)
    if held is None:
        held = personal_data.held_about(registrations, address=address)
        held["interest_subscriptions"] = []
    body = personal_data.as_json_file(held)
    response = Response(body, mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="{personal_data.file_name("person")}"'
    return response


def _erase():
    form = PersonEraseForm()
    address = privacy.normalise_email(form.email.data or "")
    if not address or len(address) > 254:  # the hidden field was tampered with: start again
        return _page(PersonLookupForm(formdata=None), status=400)
    if not form.validate():
        return _found(address, PersonLookupForm(formdata=None, email=address), form, status=400)
    erased = privacy.erase_person(address, actor=current_user)
    unsubscribed = interest_privacy.erase_address(address, actor=current_user)
    return _page(PersonLookupForm(formdata=None), erased=erased, unsubscribed=unsubscribed)
