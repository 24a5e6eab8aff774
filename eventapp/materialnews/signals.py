"""What "new materials" announces to the layers above it (docs/ARCHITECTURE.md, "Layers"): a day's batch,
so that the interest lists write the same news to the programme's subscribers. Receivers run inside
``send_new_materials``'s transaction (the event's row locked), before its commit."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from blinker import Namespace

from eventapp.events.models import Event
from eventapp.materials.queries import MaterialsSection

_signals = Namespace()

#: An event's "new materials" batch is being written. Sender: the event; ``news``: the materials it lists;
#: ``attendees``: the addresses that got the follow-up mail (they hear of it by their own mail, or opted
#: out); ``now``. A receiver returns how many mails it wrote (interest: the programme's subscribers).
material_news_batch = _signals.signal("material-news-batch")


def tell_others(event: Event, *, news: MaterialsSection, attendees: Collection[str], now: datetime) -> int:
    """How many mails the receivers of ``material_news_batch`` wrote."""
    answers = material_news_batch.send(event, news=news, attendees=attendees, now=now)
    return sum(int(value or 0) for _receiver, value in answers)
