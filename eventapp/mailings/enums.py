"""Who a mailing goes to."""

from __future__ import annotations

import enum


class Attendance(enum.StrEnum):
    """Narrows a mailing by check-in: everyone, those who came, or those who did not come."""

    ANY = "any"
    CAME = "came"
    DID_NOT_COME = "did_not_come"
