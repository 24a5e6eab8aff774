"""What the events package announces to the layers above it (docs/ARCHITECTURE.md, "Layers").

The events package knows nothing of registrations or materials; they act on these signals, connected by
the app factory (``eventapp.wiring``). A receiver runs inside the sender's transaction, before its
commit: what it writes (outbox rows, promoted registrations) commits or rolls back with the change.
"""

from __future__ import annotations

from collections.abc import Sequence

from blinker import Namespace

_signals = Namespace()

#: ``update_event`` changed an event and holds its lock. Sender: the event; keyword arguments:
#: ``calendar_changed`` (time, place or join link of a public event), ``tell_attendees`` (the organiser
#: asked for updated invitations), ``capacity_grew``. A receiver returns how many people it told.
event_updated = _signals.signal("event-updated")

#: ``cancel_event`` cancelled a public event and holds its lock. Sender: the event; ``message``: the
#: organiser's words. A receiver returns how many people it told.
event_cancelled = _signals.signal("event-cancelled")

#: ``duplicate_event`` made a draft copy. Sender: the copy (added, not flushed); ``source``: the original.
#: A receiver copies what its layer keeps of the event (the sign-up form's questions and requirements).
event_duplicated = _signals.signal("event-duplicated")

#: The public event page is drawn. Sender: the event; a receiver returns a dict that joins the template's
#: context (registrations: ``situation``; materials: ``materials``).
event_page = _signals.signal("event-page")

#: The public programme page is drawn. Sender: the programme; ``past``: its past public events (newest
#: first, translations loaded). A receiver returns a dict that joins the template's context (materials:
#: ``past_materials``).
programme_page = _signals.signal("programme-page")
#: The public event page is answered (from the page cache or not) and has a part made for every answer: a
#: receiver of ``event_page`` put ``pagecache.store.fill_here(context)`` where it goes. Sender: that
#: context; a receiver returns the part (escaped markup) or "" when the context is not its own.
event_page_fill = _signals.signal("event-page-fill")

#: The public event page is looked up in the page cache. Sender: the slug; a receiver returns a small,
#: hashable value that the page shows and that is not public content (the seats left): the page is reused
#: only while every receiver returns the same.
event_page_key = _signals.signal("event-page-key")


def told(results: Sequence[tuple[object, object]]) -> int:
    """The sum of the counts the receivers returned."""
    return sum(result for _, result in results if isinstance(result, int))


#: ``set_published`` made a draft event public, before its commit. Sender: the event. The interest lists
#: write to the programme's subscribers (once per event).
event_published = _signals.signal("event-published")

#: ``materials.services.publish_materials`` published an event's materials with their follow-up mail for
#: the first time, before its commit. Sender: the event. The interest lists write to the subscribers.
materials_published = _signals.signal("materials-published")

#: The public programme pages are drawn. Sender: the programme, or None for the list of programmes
#: (/programmes). A receiver returns ``(template, context)``: the page includes the template (calls: the open
#: calls and the organisations accepted), in the order of the receivers, with ``context`` joined to its own.
#: A receiver that shows something that changes with time calls ``pagecache.store.valid_until`` itself.
programme_sections = _signals.signal("programme-sections")
