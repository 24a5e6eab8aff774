"""Confirmed subscribers of the demo programmes' interest lists (fictional people, example.org addresses)."""

from __future__ import annotations

from datetime import datetime, timedelta

from eventapp.about.privacy import VERSION as PRIVACY_VERSION
from eventapp.interest.enums import SubscriptionStatus
from eventapp.interest.models import InterestSubscription
from eventapp.programmes.models import Programme

#: programme slug → (name, address, organisation, language) of its confirmed subscribers.
SUBSCRIBERS: dict[str, tuple[tuple[str, str, str, str], ...]] = {
    "nordic-buyer-dialogues": (
        ("Ingrid Solberg", "ingrid.solberg@example.org", "Drammen kommune", "nb"),
        ("Elin Johansson", "elin.johansson@example.org", "Göteborgs Stad", "sv"),
        ("Mikkel Rasmussen", "mikkel.rasmussen@example.org", "Aarhus Kommune", "da"),
        ("Aino Korhonen", "aino.korhonen@example.org", "Tampereen kaupunki", "fi"),
        ("Jón Sigurðsson", "jon.sigurdsson@example.org", "Reykjavíkurborg", "en"),
    ),
    "innovasjonsinnkjop-norge": (
        ("Ingrid Solberg", "ingrid.solberg@example.org", "Drammen kommune", "nb"),
        ("Sigrid Haugland", "sigrid.haugland@example.org", "Vestland fylkeskommune", "nn"),
        ("Tor Eriksen", "tor.eriksen@example.org", "", "nb"),
    ),
    "innovationsupphandling-skane": (
        ("Elin Johansson", "elin.johansson@example.org", "Göteborgs Stad", "sv"),
        ("Oskar Lindgren", "oskar.lindgren@example.org", "Malmö stad", "sv"),
    ),
}


def demo_subscribers(programme: Programme, *, now: datetime) -> list[InterestSubscription]:
    """The demo programme's confirmed subscribers (none for programmes without any), to add with it."""
    asked = now - timedelta(days=20)
    return [
        InterestSubscription(
            programme=programme,
            name=name,
            email=email,
            organisation=organisation,
            locale=locale,
            status=SubscriptionStatus.CONFIRMED,
            privacy_version=PRIVACY_VERSION,
            requested_at=asked,
            confirmed_at=asked + timedelta(minutes=4),
        )
        for name, email, organisation, locale in SUBSCRIBERS.get(programme.slug, ())
    ]
