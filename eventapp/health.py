"""/healthz: 200 when the app can reach its database, 503 when it cannot (for load balancers).

The JSON also tells a person (or a monitor) whether mail is flowing (worker heartbeats, the oldest mail
waiting to go out, failed mails) and whether the upload folder can take files. Those two make the
``status`` "degraded" but keep the 200: taking every app server out of the load balancer would not help.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from eventapp.extensions import db
from eventapp.mail.queries import mail_health

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    uploads = upload_folder_state()
    try:
        db.session.execute(text("SELECT 1"))
        mail = mail_health(max_wait=timedelta(seconds=current_app.config["MAIL_HEALTH_MAX_WAIT_SECONDS"])).as_json()
    except SQLAlchemyError:
        log.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable", uploads=uploads), 503
    status = "ok" if mail["state"] == "ok" and uploads == "ok" else "degraded"
    return jsonify(status=status, database="ok", mail=mail, uploads=uploads), 200


def upload_folder_state() -> str:
    """Either "ok", "not writable" (missing and cannot be made, read-only, no permission) or "full" (less room
    than one largest upload). Asked of the file system, without writing anything."""
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if not os.access(folder, os.W_OK | os.X_OK):
            return "not writable"
        stats = os.statvfs(folder)
    except OSError:
        return "not writable"
    if stats.f_flag & os.ST_RDONLY:
        return "not writable"
    if stats.f_bavail * stats.f_frsize < int(current_app.config["MAX_UPLOAD_MB"]) * 1024 * 1024:
        return "full"
    return "ok"
