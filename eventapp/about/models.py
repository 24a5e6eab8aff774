"""Who runs this site: the operator's name, logo and contact details, set by an administrator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column, validates

from eventapp.db import UTCDateTime, utcnow
from eventapp.extensions import Model
from eventapp.richtext import render_markdown


class SiteSettings(Model):
    """A single row (id 1), absent until an administrator first saves the site settings; until then the
    site is called ``EVENTAPP_SITE_NAME`` and has no logo or contact page of its own."""

    __public_content__ = True  # every public page shows the operator: changes move the content version
    __tablename__ = "site_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    #: Always 1.
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: The public body (or company) that runs the site, as shown in the header, footer and mails.
    operator_name: Mapped[str] = mapped_column(String(200), default="")
    #: Where people write with questions about the site (shown on the contact page and in mails).
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    #: A phone number for questions, as written (shown as a tel: link).
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    #: The operator's postal or visiting address, one line per line.
    postal_address: Mapped[str] = mapped_column(Text, default="")
    #: More words for the contact page (opening hours, who answers what), in Markdown.
    contact_md: Mapped[str] = mapped_column(Text, default="")
    #: ``contact_md`` rendered and sanitised on save; safe to show as HTML.
    contact_html: Mapped[str] = mapped_column(Text, default="")
    #: The logo: a PNG as uploaded, or an SVG as it came out of the sanitiser; never the raw SVG.
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    #: ``image/png`` or ``image/svg+xml`` when there is a logo.
    logo_type: Mapped[str] = mapped_column(String(20), default="")
    #: SHA-256 of ``logo``: its URL's version and its ETag.
    logo_sha256: Mapped[str] = mapped_column(String(64), default="")
    #: When an administrator last saved the settings.
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    @validates("contact_md")
    def _render_contact(self, _key: str, value: str | None) -> str:
        self.contact_html = render_markdown(value)
        return value or ""
