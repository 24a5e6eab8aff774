"""Signals the events layer sends, for layers above it to act on without this layer knowing them (the
interest lists write to their subscribers). Receivers run inside the sender's transaction, before its
commit, so what they add is committed with the change or not at all; they must only flush."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: A draft event became public (``sender``: the Event), sent before the commit of ``set_published``.
event_published = _signals.signal("event-published")
#: An event's materials were published with their follow-up mail for the first time (``sender``: the Event).
materials_published = _signals.signal("materials-published")
