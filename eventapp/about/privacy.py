"""The privacy statement's facts: its version, and who answers for the personal data (from configuration).

Each registration stores the ``VERSION`` its person accepted. Change ``VERSION`` (a date) whenever the
statement's text in ``templates/about/privacy.html`` changes in substance, so that it stays known which
text each consent was given to.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import parseaddr

from flask import current_app

#: The version of the privacy statement's text; stored on each registration with the consent.
VERSION = "2026-12-06.2"  # .2: interest lists (consent, kept until the person leaves)


@dataclass(frozen=True)
class Controller:
    """Who is responsible for the personal data, whom to write to, and where to complain."""

    name: str
    contact: str
    dpo: str
    authority: str
    retention_days: int


def controller() -> Controller:
    config = current_app.config
    contact = config.get("EVENTAPP_PRIVACY_CONTACT") or parseaddr(config["MAIL_DEFAULT_SENDER"])[1]
    return Controller(
        name=config.get("EVENTAPP_PRIVACY_CONTROLLER") or config.get("EVENTAPP_SITE_NAME") or "eventapp",
        contact=contact,
        dpo=config.get("EVENTAPP_DPO_CONTACT") or "",
        authority=config["EVENTAPP_SUPERVISORY_AUTHORITY"],
        retention_days=int(config["EVENTAPP_RETENTION_DAYS"]),
    )
