"""Interest lists: people who want news of a programme by email, without registering for an event.

A subscription is personal data kept only while it serves its purpose: a request not confirmed within
``EXPIRY`` is deleted, and leaving the list deletes the row (with its links and the mails written to it);
nothing is kept flagged. The consent is the confirmation itself, stored with the privacy statement's
version (``privacy_version``) and the moment (``confirmed_at``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventapp.db import UTCDateTime, enum_column_type, utcnow
from eventapp.extensions import db
from eventapp.interest.enums import Announcement, SubscriptionStatus, TokenPurpose
from eventapp.programmes.models import Programme


class InterestSubscription(db.Model):
    """One address on one programme's interest list."""

    __tablename__ = "interest_subscriptions"
    __table_args__ = (
        UniqueConstraint("programme_id", "email", name="uq_interest_subscriptions_programme_email"),
        Index("ix_interest_subscriptions_programme_status", "programme_id", "status", "locale"),
        Index("ix_interest_subscriptions_email", "email"),
    )

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The programme whose news they want.
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    #: Their address, normalised (``eventapp.addresses``). Personal data.
    email: Mapped[str] = mapped_column(String(254))
    #: Their name, for the greeting. Personal data.
    name: Mapped[str] = mapped_column(String(200))
    #: Their organisation, if they gave one.
    organisation: Mapped[str] = mapped_column(String(200), default="")
    #: The language their mail is written in (en, nb, nn, sv, da, fi).
    locale: Mapped[str] = mapped_column(String(8), default="en")
    #: pending until the confirmation link is opened, then confirmed.
    status: Mapped[SubscriptionStatus] = mapped_column(
        enum_column_type(SubscriptionStatus, "interest_status"), default=SubscriptionStatus.PENDING
    )
    #: The privacy statement's version (``about.privacy.VERSION``) shown when they asked and confirmed.
    privacy_version: Mapped[str] = mapped_column(String(32), default="")
    #: When they asked (the 7-day expiry of an unconfirmed request counts from here).
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When they opened the confirmation link and confirmed: their consent.
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    programme: Mapped[Programme] = relationship()
    tokens: Mapped[list[InterestToken]] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def is_confirmed(self) -> bool:
        return self.status is SubscriptionStatus.CONFIRMED


class InterestToken(db.Model):
    """A link to a subscription. Only the SHA-256 of the token is stored; every mail carries a new one."""

    __tablename__ = "interest_tokens"

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The subscription it opens.
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("interest_subscriptions.id", ondelete="CASCADE"), index=True
    )
    #: Hex SHA-256 of the token; the token itself is only ever in the person's mail.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    #: confirm (the confirmation link) or manage (the subscriber's page and one-click unsubscribe).
    purpose: Mapped[TokenPurpose] = mapped_column(enum_column_type(TokenPurpose, "interest_token_purpose"))
    #: When it was made.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    subscription: Mapped[InterestSubscription] = relationship(back_populates="tokens")


class InterestAnnouncement(db.Model):
    """That a programme's subscribers were written to about an event for a reason: each reason once per
    event, whatever is published, taken back and published again."""

    __tablename__ = "interest_announcements"
    __table_args__ = (UniqueConstraint("event_id", "reason", name="uq_interest_announcements_event_reason"),)

    #: Surrogate key.
    id: Mapped[int] = mapped_column(primary_key=True)
    #: The event announced.
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    #: Event published, or its materials published.
    reason: Mapped[Announcement] = mapped_column(enum_column_type(Announcement, "interest_announcement"))
    #: How many subscribers were written to.
    recipients: Mapped[int] = mapped_column(default=0)
    #: When.
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
