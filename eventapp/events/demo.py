"""Where the demo's in-person events are: the venue's country, and for the Nordic dialogue meeting the
directions and coordinates a real invitation would give (invented street, fictional venue)."""

from __future__ import annotations

from eventapp.events.models import Event

#: The country of a venue, told from the event's time zone (every demo venue is in its event's zone).
COUNTRY_OF_ZONE = {"Europe/Oslo": "NO", "Europe/Stockholm": "SE", "Europe/Copenhagen": "DK",
                   "Europe/Helsinki": "FI", "Europe/Madrid": "ES"}  # fmt: skip

#: slug → (directions, latitude, longitude)
PLACES = {
    "nordisk-bestillerdialog-utslippsfrie-leveranser": (
        "Fem minutter å gå fra Oslo S, eller trikk 12 til Kvadraturen.\n"
        "Inngang fra Eksempelgata, med trinnfri adkomst og heis til 2. etasje.\n"
        "Sal Nordlys har teleslynge.",
        59.9087,
        10.7436,
    ),
}


def apply(event: Event) -> None:
    """Give a new demo event with a venue its country, and its directions and coordinates if it has some."""
    if not event.has_venue:
        return
    event.venue_country = COUNTRY_OF_ZONE.get(event.timezone, "")
    if event.slug in PLACES:
        event.directions, event.latitude, event.longitude = PLACES[event.slug]
