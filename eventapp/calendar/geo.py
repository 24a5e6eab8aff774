"""GEO of a calendar event (RFC 5545, 3.8.1.6): the venue's latitude and longitude as the organiser gave
them, written as bytes like every other value of ``ics.py``."""

from __future__ import annotations

from icalendar import vGeo


class Geo(vGeo):
    """``GEO:55.605900;13.000700``: decimal degrees, six places (about ten centimetres)."""

    def to_ical(self) -> bytes:  # type: ignore[override]  # icalendar's stubs say str; ics.py writes bytes
        return f"{self.latitude:.6f};{self.longitude:.6f}".encode()
