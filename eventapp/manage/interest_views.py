"""A programme's interest list in the back office (its managers and administrators, like the programme):
counts by status and language, the people page by page, CSV and Excel exports, removing a person, and
programme news (write per language, preview, send, follow the delivery)."""

from __future__ import annotations

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eventapp.errors import NotFound, ValidationFailed
from eventapp.extensions import db
from eventapp.i18n import LOCALE_NAMES
from eventapp.interest import news, queries, services
from eventapp.interest.messages import NAME
from eventapp.mail.messages import render
from eventapp.mailings import queries as mailing_queries
from eventapp.mailings.models import Mailing
from eventapp.manage import interest_export
from eventapp.manage.blueprint import attempt, bp, field_error
from eventapp.manage.interest_forms import NewsForm
from eventapp.manage.programme_views import _programme_or_403
from eventapp.registrations.forms import ConfirmForm
from eventapp.urls import absolute_url


@bp.get("/programmes/<int:programme_id>/interest")
def interest_list(programme_id: int):
    programme = _programme_or_403(programme_id)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    counts = queries.counts(programme.id)
    return render_template(
        "manage/interest.html",
        programme=programme,
        counts=counts,
        people=queries.page_of_subscribers(programme.id, page=page),
        page=page,
        pages=max((counts.total + queries.PAGE_SIZE - 1) // queries.PAGE_SIZE, 1),
        news=[(m, mailing_queries.progress_of(m.id)) for m in news.news_of_programme(programme.id)[:10]],
        locale_names=LOCALE_NAMES,
        removed=request.args.get("removed") == "1",
    )


def _export(programme_id: int, extension: str, build, mimetype: str) -> Response:
    programme = _programme_or_403(programme_id)
    response = Response(build(queries.export_rows(programme.id)), mimetype=mimetype)
    if extension == "csv":
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{programme.slug}-interest-list.{extension}"'
    return response


@bp.get("/programmes/<int:programme_id>/interest.csv")
def interest_csv(programme_id: int):
    return _export(programme_id, "csv", interest_export.subscribers_csv, "text/csv")


@bp.get("/programmes/<int:programme_id>/interest.xlsx")
def interest_xlsx(programme_id: int):
    return _export(programme_id, "xlsx", interest_export.subscribers_xlsx,
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip


@bp.post("/programmes/<int:programme_id>/interest/<int:subscription_id>/remove")
def interest_remove(programme_id: int, subscription_id: int):
    programme = _programme_or_403(programme_id)
    if not ConfirmForm().validate():
        abort(400, _("The form had expired. Please try again."))
    try:
        services.remove_subscriber(subscription_id, programme_id=programme.id, actor=current_user)
    except NotFound:
        abort(404)
    return redirect(url_for("manage.interest_list", programme_id=programme.id, removed=1), code=303)


@bp.route("/programmes/<int:programme_id>/interest/news", methods=["GET", "POST"])
def interest_news_new(programme_id: int):
    programme = _programme_or_403(programme_id)
    form = NewsForm()
    if request.method == "GET":
        form.fallback.data = programme.language if programme.language in LOCALE_NAMES else "en"
        return render_template("manage/interest_news_form.html", programme=programme, form=form, preview=None)
    if not form.validate():
        return render_template("manage/interest_news_form.html", programme=programme, form=form, preview=None), 400
    if "send" in request.form:
        mailing = attempt(form, lambda: news.send_news(
            programme.id, versions=form.versions(), fallback=form.fallback.data, actor=current_user,
            expected=form.expected_count()))  # fmt: skip
        if mailing:
            return redirect(url_for("manage.interest_news", programme_id=programme.id, news_id=mailing.id, sent=1),
                            code=303)  # fmt: skip
    preview = _preview(programme, form)
    status = 400 if form.errors or form.form_errors else 200
    return render_template("manage/interest_news_form.html", programme=programme, form=form, preview=preview), status


def _preview(programme, form: NewsForm) -> dict | None:
    """Each written version as its readers will get it, and how many subscribers get which; None (with the
    message at its field) when the versions do not hold together or nobody is on the list yet."""
    try:
        written = news.check(form.versions(), form.fallback.data or "")
    except ValidationFailed as exc:
        field_error(form, exc)
        return None
    counts = queries.counts(programme.id)
    form.expected.data = str(counts.confirmed)
    if counts.confirmed == 0:
        field_error(form, ValidationFailed("fallback", _("Nobody has confirmed a subscription to this list yet.")))
        return None
    readers: dict[str, int] = {}
    for locale, confirmed, _waiting in counts.by_language:
        if confirmed:
            key = locale if locale in written else form.fallback.data
            readers[key] = readers.get(key, 0) + confirmed
    programme_url = absolute_url("programmes.detail", slug=programme.slug)
    versions = []
    for locale, version in written.items():
        text, _html = render("interest_news", locale=locale, programme=programme, name=NAME, page_url="…",
                             unsubscribe_url="…", body=version.body, programme_url=programme_url)  # fmt: skip
        versions.append({"locale": locale, "subject": version.subject, "text": text.replace(NAME, "…"),
                         "readers": readers.get(locale, 0)})  # fmt: skip
    return {"count": counts.confirmed, "versions": versions}


@bp.get("/programmes/<int:programme_id>/interest/news/<int:news_id>")
def interest_news(programme_id: int, news_id: int):
    programme = _programme_or_403(programme_id)
    mailing = db.session.get(Mailing, news_id)
    if mailing is None or mailing.programme_id != programme.id:
        abort(404)
    progress = mailing_queries.progress_of(mailing.id)
    return render_template(
        "manage/interest_news.html",
        programme=programme,
        mailing=mailing,
        progress=progress,
        locale_names=LOCALE_NAMES,
        just_sent=request.args.get("sent") == "1",
    )


@bp.get("/programmes/<int:programme_id>/interest/news/<int:news_id>/progress")
def interest_news_progress(programme_id: int, news_id: int):
    """The delivery counts as JSON, for the page to update itself while mails go out."""
    programme = _programme_or_403(programme_id)
    mailing = db.session.get(Mailing, news_id)
    if mailing is None or mailing.programme_id != programme.id:
        abort(404)
    progress = mailing_queries.progress_of(mailing.id)
    return {"queued": progress.queued, "sent": progress.sent, "failed": progress.failed, "done": progress.done}
