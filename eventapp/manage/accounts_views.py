"""The back office's organiser accounts (/manage/accounts): administrators list, add and change the
people who may sign in. Everything here answers 403 to anyone who is not an administrator."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.accounts import queries, services
from eventapp.accounts.models import User
from eventapp.errors import NotAllowed, ValidationFailed
from eventapp.extensions import db
from eventapp.manage.accounts_forms import AccountForm, AccountSearchForm, NewAccountForm
from eventapp.manage.blueprint import attempt, bp, field_error
from eventapp.registrations.forms import ConfirmForm


def _admin_only() -> None:
    if not current_user.is_admin:
        abort(403)


def _account_or_404(user_id: int) -> User:
    _admin_only()
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _local(instant: datetime | None) -> datetime | None:
    """An instant in the site's time zone, for showing dates of sign-ins and creations."""
    zone = ZoneInfo(current_app.config["EVENTAPP_DEFAULT_TIMEZONE"])
    return None if instant is None else instant.astimezone(zone)


@bp.get("/accounts")
def accounts():
    _admin_only()
    form = AccountSearchForm(request.args)
    valid = form.validate()
    people = queries.accounts((form.q.data or "") if valid else "")
    body = render_template("manage/accounts.html", form=form, people=people, local=_local)
    return body, (200 if valid else 400)


@bp.route("/accounts/new", methods=["GET", "POST"])
def account_new():
    _admin_only()
    form = NewAccountForm()
    if request.method == "POST" and form.validate():
        user = attempt(
            form,
            lambda: services.create_account(
                name=form.name.data or "", email=form.email.data or "", role=form.chosen_role,
                actor=current_user, locale=str(get_locale()),
            ),
        )  # fmt: skip
        if user:
            return redirect(url_for("manage.account_edit", user_id=user.id, created=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("manage/account_form.html", form=form, account=None), status


def _render_account(user: User, form: AccountForm, status: int, **notices: object):
    body = render_template(
        "manage/account_form.html",
        form=form,
        account=user,
        confirm_form=ConfirmForm(),
        local=_local,
        is_self=user.id == current_user.id,
        **notices,
    )
    return body, status


@bp.route("/accounts/<int:user_id>", methods=["GET", "POST"])
def account_edit(user_id: int):
    user = _account_or_404(user_id)
    form = AccountForm(obj=user)
    if request.method == "POST":
        if form.validate() and attempt(
            form,
            lambda: services.update_account(
                user.id, name=form.name.data or "", role=form.chosen_role, actor=current_user
            ),
        ):
            return redirect(url_for("manage.account_edit", user_id=user.id, saved=1), code=303)
        db.session.expire_all()  # a refused change was rolled back: show the account as it is
        return _render_account(_account_or_404(user_id), form, 400)
    return _render_account(
        user,
        form,
        200,
        created=request.args.get("created") == "1",
        saved=request.args.get("saved") == "1",
        sent=request.args.get("sent") == "1",
        changed=request.args.get("changed"),
    )


def _set_active(user_id: int, *, active: bool):
    user = _account_or_404(user_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        services.set_account_active(user.id, active=active, actor=current_user)
    except ValidationFailed as exc:
        user = _account_or_404(user_id)
        form = AccountForm(obj=user, formdata=None)
        field_error(form, exc)
        return _render_account(user, form, 400, active_error=exc.message)
    except NotAllowed as exc:
        abort(409, exc.message)
    changed = "reactivated" if active else "deactivated"
    return redirect(url_for("manage.account_edit", user_id=user.id, changed=changed), code=303)


@bp.post("/accounts/<int:user_id>/deactivate")
def account_deactivate(user_id: int):
    return _set_active(user_id, active=False)


@bp.post("/accounts/<int:user_id>/reactivate")
def account_reactivate(user_id: int):
    return _set_active(user_id, active=True)


@bp.post("/accounts/<int:user_id>/send-link")
def account_send_link(user_id: int):
    user = _account_or_404(user_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        services.send_set_password_link(user.id, actor=current_user, locale=str(get_locale()))
    except NotAllowed as exc:
        abort(409, exc.message)
    return redirect(url_for("manage.account_edit", user_id=user.id, sent=1), code=303)
