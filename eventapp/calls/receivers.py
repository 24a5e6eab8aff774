"""What calls add to the pages of the layers below them: the open calls on /programmes and on a programme's
page, and the organisations accepted to its calls. Connected by ``eventapp.calls.init_app``; events and
programmes never import calls (docs/ARCHITECTURE.md, "Layers")."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale

from eventapp.calls.queries import members, open_calls
from eventapp.events import signals as event_signals
from eventapp.pagecache.store import valid_until
from eventapp.programmes.models import Programme


def programme_page_part(programme: Programme | None) -> tuple[str, dict[str, Any]]:
    """The open calls (of every programme on /programmes, with their programmes named), and on a programme's
    page its accepted organisations. The cached page ends when a call opens or closes. Two queries on a
    programme's page, one on /programmes."""
    locale = str(get_locale())
    calls, changes_at = open_calls(programme_id=programme.id if programme is not None else None, locale=locale)
    valid_until(changes_at)
    return "calls/_programme_part.html", {
        "open_calls": calls,
        "show_programme": programme is None,
        "members": members(programme.id, locale) if programme is not None else [],
    }


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    event_signals.programme_sections.connect(programme_page_part, weak=False)
