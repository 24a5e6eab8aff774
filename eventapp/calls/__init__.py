"""Calls for participation: a programme's calls (membership, participation), the applications with their
letters, the organiser's decisions, and the events restricted to a call's accepted organisations."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The public pages, the sign-up gate of restricted events (``registrations.gates``) and the part of
    the programme pages (``events.signals.programme_sections``)."""
    from eventapp.calls import receivers, restricted, views
    from eventapp.registrations import gates

    app.register_blueprint(views.bp)
    # sign-up asks calls who may take part in their events; the event's query reads whether any call restricts it
    gates.register_gate(restricted.admission, may_restrict=restricted.restricts)
    receivers.connect()
