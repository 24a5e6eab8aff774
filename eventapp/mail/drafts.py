"""Drafts: mails written as *what to render*, and rendered by the worker just before it sends them.

A use case on a hot path (the sign-up) need not render its mail inside its transaction and lock: it
writes a small draft row with ``enqueue_draft`` (the recipient, the mail's kind, a ``draft_kind`` naming
the renderer, the parameters, the raw personal-link token), in its own transaction as ever, so the mail
exists if and only if the change is committed. The worker renders due drafts (``render_drafts``, one
transaction per batch) into ordinary mails, claimed for it in the same transaction (``owner`` and
``lease``), and sends them as it sends any claimed mail. A request that dies after its commit leaves a
draft that the worker renders and sends; a worker that dies while rendering rolls back, and the drafts are
rendered again by the next; one that dies after the commit leaves claimed mails that the next worker takes
up when the lease runs out.

The renderers belong to the domains above mail (``registrations.drafts``); the app factory registers
them with ``add_renderer``, so mail imports none of them (docs/ARCHITECTURE.md, "Layers"). A renderer
returns None when what the draft was about is gone (a deleted or purged registration): the draft is
dropped with a log line. A renderer that raises is retried with the usual back-off and, after
``MAIL_MAX_ATTEMPTS``, the mail is marked failed; its token is cleared either way.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError

from eventapp.db import utcnow
from eventapp.extensions import db
from eventapp.mail.enums import OutboxStatus
from eventapp.mail.models import OutboxMessage
from eventapp.mail.services import ClaimedMail, RenderedMail, claimed_mail, new_message_id, retry_delay
from eventapp.transactions import use_case

log = logging.getLogger("eventapp.mail.drafts")

#: Where the app keeps the renderers (``app.extensions``).
RENDERERS_KEY = "eventapp.mail.renderers"


@dataclass(frozen=True)
class Draft:
    """What a renderer gets: a plain copy of the draft row."""

    id: int
    draft_kind: str
    kind: str
    locale: str
    registration_id: int | None
    speaker_id: int | None
    params: dict[str, Any] = field(default_factory=dict)
    token: str | None = None


#: Renders one draft, given what its kind's ``Preload`` returned for the batch (None without one); None
#: when what it was about is gone (the draft is then dropped).
Render = Callable[[Draft, Any], RenderedMail | None]
#: Called once per batch with the drafts of its kind before they are rendered; what it returns is kept
#: for the batch (so the objects it loaded in one query stay in the session's identity map) and given to
#: every ``Render`` of the batch (so a renderer can keep what its drafts share for the batch, and only
#: for it: the next batch, in its own transaction, may find the database changed).
Preload = Callable[[Sequence[Draft]], object]


@dataclass(frozen=True)
class Renderer:
    render: Render
    preload: Preload | None = None


def add_renderer(app: Flask, draft_kind: str, render: Render, *, preload: Preload | None = None) -> None:
    """Register the renderer of ``draft_kind`` (called by the app factory for the domains above mail)."""
    app.extensions.setdefault(RENDERERS_KEY, {})[draft_kind] = Renderer(render, preload)


def _renderers() -> dict[str, Renderer]:
    return cast(dict[str, Renderer], current_app.extensions.get(RENDERERS_KEY, {}))


def enqueue_draft(
    *,
    kind: str,
    draft_kind: str,
    about: object,
    recipient_email: str,
    recipient_name: str,
    locale: str,
    params: dict[str, Any],
    token: str | None = None,
) -> OutboxMessage:
    """Add a draft to the outbox in the caller's transaction (nothing is rendered, committed or sent here).

    ``about`` is the registration or speaker (ORM object; it may be new in this transaction): the row
    points at it and at its event, and the renderer finds it through ``Draft.registration_id``.
    ``params`` must be JSON. ``token``: the raw personal-link token the mail carries, kept until the
    draft is rendered. Side effects: one ``mail_outbox`` row in the session, status ``draft``.
    """
    row = OutboxMessage(
        **draft_values(kind=kind, draft_kind=draft_kind, recipient_email=recipient_email,
                       recipient_name=recipient_name, locale=locale, params=params, token=token)
    )  # fmt: skip
    table = getattr(about, "__tablename__", None)
    if table in ("registrations", "speakers"):
        setattr(row, "registration" if table == "registrations" else "speaker", about)
        row.event = about.event  # type: ignore[attr-defined]  # a Registration or a Speaker (mail imports neither)
    db.session.add(row)
    return row


def draft_values(
    *,
    kind: str,
    draft_kind: str,
    recipient_email: str,
    recipient_name: str,
    locale: str,
    params: dict[str, Any],
    token: str | None = None,
) -> dict[str, Any]:
    """The columns of a draft outbox row but the ids of what it is about (``event_id``, ``registration_id``,
    ``speaker_id``): what ``enqueue_draft`` writes, for a caller that inserts the row itself (the sign-up
    writes its three rows with one statement, ``registrations.rows``). Checks the renderer is registered."""
    if draft_kind not in _renderers():
        raise ValueError(f"no renderer is registered for drafts of kind {draft_kind!r}")
    return {
        "message_id": new_message_id(),
        "kind": kind,
        "recipient_email": recipient_email,
        "recipient_name": recipient_name,
        "sender": current_app.config["MAIL_DEFAULT_SENDER"],
        "locale": locale,
        "subject": "",
        "body_text": "",
        "body_html": "",
        "status": OutboxStatus.DRAFT,
        "attempts": 0,
        "next_attempt_at": utcnow(),
        "draft_kind": draft_kind,
        "draft_params": params,
        "draft_token": token,
    }


@dataclass
class RenderTally:
    rendered: int = 0
    dropped: int = 0
    failed: int = 0
    #: The rendered mails claimed for the worker that rendered them (``render_drafts(owner=...)``).
    claimed: list[ClaimedMail] = field(default_factory=list)

    @property
    def handled(self) -> int:
        return self.rendered + self.dropped + self.failed


@use_case
def render_drafts(
    *, limit: int, now: datetime | None = None, owner: str | None = None, lease: timedelta | None = None
) -> RenderTally:
    """Render up to ``limit`` due drafts into mails. One transaction.

    PostgreSQL: the drafts are taken ``FOR UPDATE SKIP LOCKED``, so several workers render different
    ones; SQLite: ``BEGIN IMMEDIATE``. Side effects: each rendered draft gets its subject, bodies and
    calendar and loses its token and parameters; it becomes ``pending``, or, given the worker ``owner``
    and its ``lease``, ``sending``, claimed by that worker as ``mail.services.claim_batch`` would claim
    it (one attempt counted), and it is in the tally's ``claimed`` to send: the worker need not claim and
    read back what it has just written. A draft whose subject is gone is deleted (logged); a renderer
    that raises leaves the draft for a retry after a back-off, or marks the mail failed after
    ``MAIL_MAX_ATTEMPTS`` (logged, token cleared).
    """
    now = now or utcnow()
    session = db.session
    if session.get_bind().dialect.name == "sqlite":
        session.connection(execution_options={"sqlite_begin": "IMMEDIATE"})
    rows = session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.DRAFT, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    tally = RenderTally()
    if not rows:
        session.rollback()
        return tally
    renderers = _renderers()
    drafts = [_draft(row) for row in rows]
    kept = {
        kind: renderer.preload([d for d in drafts if d.draft_kind == kind])
        for kind, renderer in renderers.items()
        if renderer.preload is not None and any(d.draft_kind == kind for d in drafts)
    }
    # Render every draft first, then write: no autoflush between renders, and one batched UPDATE.
    outcomes: list[RenderedMail | str | None] = []
    with session.no_autoflush:
        for draft in drafts:
            renderer = renderers.get(draft.draft_kind)
            if renderer is None:
                outcomes.append(f"no renderer is registered for drafts of kind {draft.draft_kind!r}")
                continue
            try:
                mail = renderer.render(draft, kept.get(draft.draft_kind))
                if mail is not None and (mail.calendar is None) != (mail.calendar_method is None):
                    raise ValueError("a calendar attachment needs its method, and a method needs a calendar")
                outcomes.append(mail)
            except DBAPIError:
                raise  # the database is away: the worker waits for it; the drafts stay as they are
            except Exception as exc:  # one draft that cannot be rendered must not hold up the others
                log.exception("mail %s (%s) could not be rendered", draft.id, draft.kind)
                outcomes.append(f"could not be rendered: {type(exc).__name__}: {exc}")
    del kept
    max_attempts = int(current_app.config["MAIL_MAX_ATTEMPTS"])
    for row, outcome in zip(rows, outcomes, strict=True):
        if outcome is None:
            log.warning("mail %s (%s) dropped before rendering: what it was about is gone (deleted or purged)",
                        row.id, row.kind)  # fmt: skip
            session.delete(row)
            tally.dropped += 1
        elif isinstance(outcome, str):
            row.attempts += 1
            row.last_error = outcome[:2000]
            if row.attempts >= max_attempts:
                row.status, row.draft_token, row.next_attempt_at = OutboxStatus.FAILED, None, now
                log.error("mail %s (%s) failed for good: %s", row.id, row.kind, outcome)
            else:
                row.next_attempt_at = now + retry_delay(row.attempts)
            tally.failed += 1
        else:
            _fill(row, outcome)
            if owner is not None and lease is not None:
                row.status, row.attempts = OutboxStatus.SENDING, 1
                row.claimed_at, row.claimed_by, row.lease_expires_at = now, owner, now + lease
                tally.claimed.append(claimed_mail(row))
            tally.rendered += 1
    session.commit()
    return tally


def _draft(row: OutboxMessage) -> Draft:
    return Draft(
        id=row.id,
        draft_kind=row.draft_kind or "",
        kind=row.kind,
        locale=row.locale,
        registration_id=row.registration_id,
        speaker_id=row.speaker_id,
        params=dict(row.draft_params or {}),
        token=row.draft_token,
    )


def _fill(row: OutboxMessage, mail: RenderedMail) -> None:
    row.kind = mail.kind
    row.recipient_email = mail.recipient_email
    row.recipient_name = mail.recipient_name
    row.locale = mail.locale
    row.subject = mail.subject
    row.body_text = mail.body_text
    row.body_html = mail.body_html
    row.calendar = mail.calendar
    row.calendar_method = mail.calendar_method
    row.status = OutboxStatus.PENDING
    row.attempts = 0
    row.last_error = ""
    row.draft_params = None
    row.draft_token = None


def preview(row: OutboxMessage) -> RenderedMail | None:
    """What a draft will be once rendered, for a reader (a person's data export), without changing it.

    None when the row is no draft, its renderer is unknown, or what it is about is gone or cannot be
    rendered (logged); nothing is written, and the draft's token stays where it is."""
    if row.status is not OutboxStatus.DRAFT:
        return None
    renderer = _renderers().get(row.draft_kind or "")
    if renderer is None:
        return None
    draft = _draft(row)
    try:
        with db.session.no_autoflush:
            kept = renderer.preload([draft]) if renderer.preload is not None else None
            return renderer.render(draft, kept)
    except DBAPIError:
        raise
    except Exception:
        log.exception("mail %s (%s) could not be previewed", row.id, row.kind)
        return None
