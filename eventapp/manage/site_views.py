"""Who runs this site (/manage/site): administrators set the operator's name, logo and contact details."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from eventapp.about import services
from eventapp.about.models import SiteSettings
from eventapp.about.queries import site_identity
from eventapp.extensions import db
from eventapp.manage.blueprint import attempt, bp
from eventapp.manage.site_forms import SiteSettingsForm


@bp.route("/site", methods=["GET", "POST"])
def site_settings():
    if not current_user.is_admin:
        abort(403)
    settings = db.session.get(SiteSettings, 1)
    identity = site_identity()
    form = SiteSettingsForm(obj=settings)
    if request.method == "GET" and settings is None:
        form.operator_name.data, form.contact_email.data = identity.name, identity.contact_email
    if request.method == "POST" and form.validate():
        done = attempt(
            form,
            lambda: services.update_site_settings(
                form.to_data(), logo=form.logo_bytes(), remove_logo=bool(form.remove_logo.data), actor=current_user
            ),
        )
        if done is not None:
            return redirect(url_for("manage.site_settings", saved=1), code=303)
    status = 400 if request.method == "POST" else 200
    return render_template(
        "manage/site_settings.html", form=form, identity=identity, saved=request.args.get("saved") == "1"
    ), status
