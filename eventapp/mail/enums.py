"""States of an outgoing mail (a leaf module)."""

from __future__ import annotations

from enum import StrEnum


class OutboxStatus(StrEnum):
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
