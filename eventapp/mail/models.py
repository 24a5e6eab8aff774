"""The outbox: every mail eventapp sends is first a row here, written in the transaction that caused it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import Model
from eventapp.mail.enums import CalendarMethod, OutboxStatus

if TYPE_CHECKING:
    from eventapp.events.models import Event  # type-only: relationship annotation
    from eventapp.registrations.models import Registration  # type-only: relationship annotation
    from eventapp.speakers.models import Speaker  # type-only: relationship annotation


class OutboxMessage(Model):
    __tablename__ = "mail_outbox"
    __table_args__ = (
        Index("ix_mail_outbox_status_next_attempt_at", "status", "next_attempt_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("(calendar IS NULL) = (calendar_method IS NULL)", name="calendar_has_method"),
        CheckConstraint("status <> 'draft' OR draft_kind IS NOT NULL", name="draft_has_kind"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The Message-ID header, fixed when the mail is enqueued, so a resend is recognisably the same mail.
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    #: What caused the mail ("invitation", "waitlisted", ...), for statistics and progress views.
    kind: Mapped[str] = mapped_column(String(64), index=True)
    #: The organiser's mailing this mail belongs to, if any (for its progress view).
    mailing_id: Mapped[int | None] = mapped_column(ForeignKey("mailings.id", ondelete="SET NULL"), index=True)
    #: The event the mail is about, if any (for the event's "mail problems" page).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    #: The registration it was written to, if any (its row in the registrations list shows a failure).
    registration_id: Mapped[int | None] = mapped_column(ForeignKey("registrations.id", ondelete="SET NULL"), index=True)
    #: The speaker it was written to, if any.
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    #: The interest-list subscription it was written to, if any: the mail goes with the subscription.
    interest_subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("interest_subscriptions.id", ondelete="CASCADE"), index=True
    )
    #: The one-click unsubscribe address of a list mail (RFC 8058): sent as ``List-Unsubscribe`` with
    #: ``List-Unsubscribe-Post``; an https or http URL, checked again when the mail is built.
    list_unsubscribe: Mapped[str | None] = mapped_column(String(500))
    #: Recipient's address. Personal data: deleted with the registration it belongs to.
    recipient_email: Mapped[str] = mapped_column(String(320))
    #: Recipient's name for the To header ('' for none).
    recipient_name: Mapped[str] = mapped_column(String(200), default="")
    #: The From header, e.g. 'eventapp <noreply@example.org>'.
    sender: Mapped[str] = mapped_column(String(320))
    #: Language the mail was written in (the recipient's).
    locale: Mapped[str] = mapped_column(String(8), default="en")
    #: Subject line.
    subject: Mapped[str] = mapped_column(String(998))
    #: Plain-text body.
    body_text: Mapped[str] = mapped_column(Text)
    #: HTML body.
    body_html: Mapped[str] = mapped_column(Text)
    #: iCalendar document sent with the mail (bytes: CRLF line ends must survive), if any.
    calendar: Mapped[bytes | None] = mapped_column(LargeBinary)
    #: Its iTIP method (REQUEST, CANCEL, PUBLISH); set exactly when ``calendar`` is.
    calendar_method: Mapped[CalendarMethod | None] = mapped_column(enum_column_type(CalendarMethod, "calendar_method"))
    #: What renders a draft (a renderer registered with ``mail.drafts.add_renderer``); None for a mail
    #: written rendered. Kept after rendering, for the record.
    draft_kind: Mapped[str | None] = mapped_column(String(32))
    #: What the renderer needs besides the recipient (JSON: for a registration mail its reason, note,
    #: calendar method and SEQUENCE, the DTSTAMP); cleared when rendered.
    draft_params: Mapped[dict[str, object] | None] = mapped_column(JSON)
    #: The raw personal-link token a draft's mail carries (only its hash is stored elsewhere). Lives from
    #: the commit that wrote the draft until the worker renders it (normally under a second), then None.
    draft_token: Mapped[str | None] = mapped_column(String(64))
    #: draft → pending → sending → sent, or back to pending for a retry, or failed.
    status: Mapped[OutboxStatus] = mapped_column(
        enum_column_type(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    #: Sending attempts made so far.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: Not to be sent before this instant (retries back off exponentially).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When a worker claimed it (status sending).
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The worker holding the lease on it (``MailWorker.id``) while it is ``sending``; only that worker
    #: may record the outcome.
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    #: The lease ends here unless its worker renews it; a mail whose lease ran out is taken up again.
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The error of the last failed attempt.
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: When it was enqueued.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the SMTP server accepted it.
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    # Set by ``enqueue`` from the recipient (its id may not be known before the flush).
    event: Mapped[Event | None] = relationship()
    registration: Mapped[Registration | None] = relationship()
    speaker: Mapped[Speaker | None] = relationship()

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.status}>"


class MailWorker(Model):
    """A running mail worker's heartbeat: one row per process, updated while it runs, removed when it
    stops cleanly (a row that stops beating belongs to a worker that died or hangs)."""

    __tablename__ = "mail_workers"

    #: The worker's owner id (host, process id and a random part), also in ``mail_outbox.claimed_by``.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: Host name and process id, for the person who has to find the process.
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    #: When the worker started.
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Its last heartbeat (written at least every few seconds while its loop runs).
    beat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    def __repr__(self) -> str:
        return f"<MailWorker {self.id} {self.beat_at}>"
