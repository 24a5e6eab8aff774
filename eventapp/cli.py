"""``flask`` commands: seed-demo (more arrive with their issues: create-organiser, worker, ...)."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Fill the database with demo programmes, events, agendas and speakers (fictional people).

        Safe to run again: what already exists (by slug) is left as it is.
        """
        from eventapp.demo import seed_demo

        report = seed_demo()
        click.echo(
            f"Demo data: {report.programmes_added} programmes and {report.events_added} events added "
            f"({report.programmes_kept} programmes and {report.events_kept} events were already there)."
        )
