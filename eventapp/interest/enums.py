"""States of an interest-list subscription (a leaf module)."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class SubscriptionStatus(StrEnum):
    """pending (asked, the confirmation link not yet opened) → confirmed. Leaving deletes the row."""

    PENDING = "pending"
    CONFIRMED = "confirmed"

    @property
    def label(self) -> str:
        return str(_LABELS[self])


_LABELS = {SubscriptionStatus.PENDING: _l("Waiting for confirmation"), SubscriptionStatus.CONFIRMED: _l("Confirmed")}


class TokenPurpose(StrEnum):
    """What a link opens: the confirmation of a request, or the subscriber's own page (and unsubscribe)."""

    CONFIRM = "confirm"
    MANAGE = "manage"


class Announcement(StrEnum):
    """Why subscribers are written to about an event (each at most once per event)."""

    EVENT_PUBLISHED = "event_published"
    MATERIALS_PUBLISHED = "materials_published"


#: Outbox ``kind`` of each interest-list mail.
MAIL_CONFIRM = "interest_confirm"
MAIL_ALREADY = "interest_already"
MAIL_EVENT = "interest_event"
MAIL_MATERIALS = "interest_materials"
MAIL_NEWS = "interest_news"
#: Materials published after the "materials online" mail (written by materialnews, at most once a day).
MAIL_NEW_MATERIALS = "interest_new_materials"
