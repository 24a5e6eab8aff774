"""Public pages of the interest lists: "Keep me informed" (on every programme page), the confirmation, the
subscriber's own page, and unsubscribing (one click from a mail, RFC 8058).

Answers that could tell who is subscribed are the same for everyone: the form always ends on "check your
inbox"; unsubscribing always ends on "you will get no more mail from this list", whether the link still
held a subscription or not (leaving twice is harmless). A malformed link is a 404 before any query."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from eventapp.extensions import csrf, limiter
from eventapp.interest import services
from eventapp.interest.enums import TokenPurpose
from eventapp.interest.forms import InterestForm, LanguageForm
from eventapp.programmes.models import Programme
from eventapp.programmes.queries import programme_by_slug
from eventapp.registrations.forms import ConfirmForm
from eventapp.security import looks_like_token

bp = Blueprint("interest", __name__)

NO_CACHE = {"Cache-Control": "private, no-store"}


def _signup_limit() -> str:
    return current_app.config["RATELIMIT_SIGNUP"]


def _programme_or_404(slug: str) -> Programme:
    programme = programme_by_slug(slug)
    if programme is None:
        abort(404)
    return programme


def _well_formed_or_404(token: str) -> None:
    if not looks_like_token(token):
        abort(404, _("This link is not valid. It may have been mistyped, or replaced by a newer one."))


@bp.route("/programmes/<slug>/interest", methods=["GET", "POST"])
@csrf.exempt  # the form has no CSRF token, on purpose (see interest.forms)
@limiter.limit(_signup_limit, methods=["POST"])
def subscribe(slug: str):
    """The form on its own page (where its errors are shown), and where every copy of it is sent."""
    programme = _programme_or_404(slug)
    form = InterestForm()
    if request.method == "POST" and form.validate():
        if not form.looks_like_a_bot():
            services.subscribe(programme.id, form.to_request())
        return redirect(url_for("interest.sent", slug=programme.slug), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("interest/form.html", programme=programme, form=form), status, NO_CACHE


@bp.get("/programmes/<slug>/interest/sent")
def sent(slug: str):
    """ "Check your inbox": the one answer to every accepted form (new, waiting, already following, bot)."""
    return render_template("interest/sent.html", programme=_programme_or_404(slug))


@bp.route("/interest/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The link in the confirmation mail: a page with one button, so that mail scanners that open every
    link confirm nothing; the button confirms (again: the same answer)."""
    _well_formed_or_404(token)
    subscription = services.by_token(token, TokenPurpose.CONFIRM)
    if subscription is None:
        abort(404, _("This link no longer works: a request that is not confirmed within a week is deleted. "
                     "You can ask again on the programme’s page."))  # fmt: skip
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        page_token = services.confirm(token)
        if page_token is None:
            abort(404)
        return redirect(url_for("interest.page", token=page_token, confirmed=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template("interest/confirm.html", subscription=subscription, programme=subscription.programme,
                           form=form), status, NO_CACHE  # fmt: skip


def _page(token: str, *, language_form: LanguageForm | None = None, status: int = 200):
    subscription = services.by_token(token, TokenPurpose.MANAGE)
    if subscription is None:
        abort(404, _("This link no longer works. If you left the list, you get no more mail from it."))
    if language_form is None:
        language_form = LanguageForm(language=subscription.locale)
    return (
        render_template(
            "interest/page.html",
            subscription=subscription,
            following=services.subscriptions_of_address(subscription.email),
            token=token,
            language_form=language_form,
            leave_form=ConfirmForm(),
            confirmed=request.args.get("confirmed") == "1",
            saved=request.args.get("saved") == "1",
        ),
        status,
        NO_CACHE,
    )


@bp.get("/interest/<token>")
def page(token: str):
    """The subscriber's own page: their programmes, the language of their mail, leaving."""
    _well_formed_or_404(token)
    return _page(token)


@bp.post("/interest/<token>/language")
def language(token: str):
    _well_formed_or_404(token)
    form = LanguageForm()
    if not form.validate():
        return _page(token, language_form=form, status=400)
    if not services.change_language(token, form.language.data or ""):
        abort(404)
    return redirect(url_for("interest.page", token=token, saved=1), code=303)


@bp.post("/interest/<token>/leave")
def leave(token: str):
    """Leave one of the programmes listed on the page (this link's own, or another of the same address)."""
    _well_formed_or_404(token)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    subscription_id = request.form.get("subscription", type=int)
    if subscription_id is None or not 0 < subscription_id < 2**31:
        abort(400)
    services.unsubscribe(token, subscription_id=subscription_id)
    if services.by_token(token, TokenPurpose.MANAGE) is None:
        return redirect(url_for("interest.left"), code=303)
    return redirect(url_for("interest.page", token=token), code=303)


@bp.route("/interest/<token>/unsubscribe", methods=["GET", "POST"])
@csrf.exempt  # RFC 8058: the mail provider's one-click POST carries no CSRF token; the link's token is the secret
def unsubscribe(token: str):
    """GET: a page with one button (mail scanners open links). POST, from that button or from the mail
    provider (``List-Unsubscribe=One-Click``): the person leaves the list, and the answer is the same
    whether they were still on it or not."""
    _well_formed_or_404(token)
    if request.method == "POST":
        services.unsubscribe(token)
        return render_template("interest/left.html"), 200, NO_CACHE
    subscription = services.by_token(token, TokenPurpose.MANAGE)
    if subscription is None:
        return render_template("interest/left.html"), 200, NO_CACHE
    return render_template("interest/unsubscribe.html", subscription=subscription, token=token), 200, NO_CACHE


@bp.get("/interest/left")
def left():
    return render_template("interest/left.html"), 200, NO_CACHE


def interest_form() -> InterestForm:
    """Template global: a fresh "Keep me informed" form for a programme page."""
    return InterestForm(formdata=None)
