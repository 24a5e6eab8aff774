"""One transaction per use case, and a clean session when a use case says no.

A service that a view (or the CLI, or the worker) calls as one use case is decorated with ``@use_case``.
When it raises (a domain error such as ``ValidationFailed``, or anything else), the session is rolled
back before the exception leaves the service: nothing it added, changed or flushed stays pending, the
locks it took are released, and the caller can go on using the session (render the form again with the
error, call another service). Views therefore never call ``db.session.rollback()`` themselves.

Use cases may call each other: only the outermost one rolls back, so an inner use case whose error the
outer one catches does not throw away the outer one's work. Helpers that only flush need no decorator.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from eventapp.extensions import db

P = ParamSpec("P")
R = TypeVar("R")

log = logging.getLogger(__name__)

#: How many use cases are running in this context (thread or task): only the outermost rolls back.
_depth: ContextVar[int] = ContextVar("eventapp_use_case_depth", default=0)


def use_case(func: Callable[P, R]) -> Callable[P, R]:
    """Roll the session back when ``func`` raises, unless it was called from inside another use case."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        outermost = _depth.get() == 0
        token = _depth.set(_depth.get() + 1)
        try:
            return func(*args, **kwargs)
        except BaseException:
            if outermost:
                rollback()
            raise
        finally:
            _depth.reset(token)

    return run


def rollback() -> None:
    """Roll the session back; a database that went away meanwhile does not hide the original error."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        log.warning("Rolling back after a refused use case failed; the session is discarded", exc_info=True)
        db.session.remove()


def reads_only(view: Callable[P, R]) -> Callable[P, R]:
    """Run a view that only reads without a transaction on PostgreSQL (autocommit): each statement is
    its own, which saves the ``BEGIN`` and ``ROLLBACK`` round trips of a read-only page (two of the event
    page's four). The view's statements then need not see one snapshot: use it only on pages whose
    statements each stand on their own (the event page reads the event, then the seats as they are now),
    and never on a view that writes. Does nothing when the request's session already holds a
    connection, and nothing on SQLite (whose reads take no round trip)."""

    @functools.wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        session = db.session()
        if not session.in_transaction() and db.engine.dialect.name != "sqlite":
            session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        return view(*args, **kwargs)

    return wrapper
