"""About the site: the accessibility statement (tilgjengelighetserklæring) in the format public bodies use,
the operator's contact page, and the operator's logo."""

from __future__ import annotations

from datetime import datetime, time
from email.utils import parseaddr

from flask import Blueprint, Response, abort, current_app, render_template, request

from eventapp.about import accessibility, privacy
from eventapp.about.queries import logo_bytes, site_identity
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


@bp.get("/contact")
@cached_page
def contact():
    return render_template("about/contact.html", identity=site_identity())


#: A logo opened on its own may do nothing: no scripts, no loads, no forms (an SVG is a document).
LOGO_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"


@bp.get("/site/logo")
def site_logo():
    """The operator's logo. Its URL carries its hash (``?v=``), so it can be kept for a year."""
    stored = logo_bytes()
    if stored is None:
        abort(404)
    data, media_type, sha256 = stored
    response = Response(data, mimetype=media_type)
    response.headers["Content-Security-Policy"] = LOGO_POLICY
    response.set_etag(sha256)
    if request.args.get("v") == sha256:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    else:
        response.headers["Cache-Control"] = "public, max-age=300"
    return response.make_conditional(request)


@bp.get("/privacy")
@cached_page
def privacy_statement():
    """The privacy statement: controller, purposes, legal basis, retention, recipients, rights, complaint."""
    return render_template("about/privacy.html", controller=privacy.controller(), version=privacy.VERSION)
