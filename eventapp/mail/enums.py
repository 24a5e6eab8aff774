"""States of an outgoing mail (a leaf module)."""

from __future__ import annotations

from enum import StrEnum


class OutboxStatus(StrEnum):
    #: Written as what to render (``draft_kind``, ``draft_params``): the worker renders it (and it becomes
    #: ``pending``) just before sending. See ``mail.drafts``.
    DRAFT = "draft"
    #: Waiting for its ``next_attempt_at``.
    PENDING = "pending"
    #: Claimed by a worker that is sending it now (or crashed while doing so: taken up again later).
    SENDING = "sending"
    #: Accepted by the SMTP server (or written to a file when no server is configured).
    SENT = "sent"
    #: Given up on after the last attempt, or refused for good; ``last_error`` says why.
    FAILED = "failed"


class CalendarMethod(StrEnum):
    """iTIP method of a calendar attachment (RFC 5546)."""

    PUBLISH = "PUBLISH"
    REQUEST = "REQUEST"
    CANCEL = "CANCEL"


class MailReason(StrEnum):
    """Why a registration mail is written (``messages.registration_mail``); its value names the mail's kind
    (``registration_<value>``) and the template's branch. The first three are also registration states."""

    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    PENDING = "pending"
    APPROVED = "approved"
    PROMOTED = "promoted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"
    LINK = "link"
    ALREADY_REGISTERED = "already_registered"
    OFFER = "offer"
    OFFER_EXPIRED = "offer_expired"
    UPDATED = "updated"
    ATTENDANCE_CHANGED = "attendance_changed"  #: on site or online at a hybrid event: a new invitation
    EVENT_CANCELLED = "event_cancelled"
    REMINDER_DAY = "reminder_day"
    REMINDER_HOUR = "reminder_hour"
