"""Signing organisers in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from eventapp.accounts import services
from eventapp.accounts.forms import LoginForm, NewPasswordForm, ResetRequestForm
from eventapp.accounts.models import User
from eventapp.errors import NotFound
from eventapp.extensions import db, limiter, login_manager

bp = Blueprint("accounts", __name__)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host): never an open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("manage.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("manage.dashboard"))
    form = LoginForm(next=request.args.get("next", ""))
    if request.method == "POST" and form.validate():
        user = services.authenticate(form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user)
            return redirect(_safe_next(form.next.data), code=303)
        # One answer for every failure (unknown address, wrong password, account paused): it does not
        # tell whether an account exists.
        form.form_errors.append(
            _("The email address or the password is not right. After several wrong passwords, signing in "
              "to an account pauses for a few minutes.")
        )  # fmt: skip
        form.password.data = ""
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form, reset=request.args.get("reset") == "1"), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("events.index"), code=303)


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    if request.method == "POST" and form.validate():
        services.request_password_reset(form.email.data or "", locale=str(get_locale()))
        return render_template("accounts/reset_request.html", form=None, sent=True)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/reset_request.html", form=form, sent=False), status


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token: str):
    form = NewPasswordForm()
    if request.method == "POST" and form.validate():
        try:
            services.reset_password(token, form.password.data or "")
        except NotFound:
            abort(404, _("This link has expired or has already been used. Ask for a new one."))
        return redirect(url_for("accounts.login", reset=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/reset_password.html", form=form), status
