"""The accessibility statement (tilgjengelighetserklæring), in the format public bodies use."""

from __future__ import annotations

from datetime import datetime, time
from email.utils import parseaddr

from flask import Blueprint, current_app, render_template

from eventapp.about import accessibility, privacy
from eventapp.pagecache.store import cached_page

bp = Blueprint("about", __name__)


@bp.get("/accessibility")
@cached_page
def accessibility_statement():
    contact = (
        current_app.config.get("EVENTAPP_ACCESSIBILITY_CONTACT")
        or parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1]
    )
    return render_template(
        "about/accessibility.html",
        checks=accessibility.CHECKS,
        limitations=accessibility.LIMITATIONS,
        reviewed=datetime.combine(accessibility.REVIEWED, time()),
        standard=accessibility.STANDARD,
        contact=contact,
    )


@bp.get("/privacy")
@cached_page
def privacy_statement():
    """The privacy statement: controller, purposes, legal basis, retention, recipients, rights, complaint."""
    return render_template("about/privacy.html", controller=privacy.controller(), version=privacy.VERSION)
