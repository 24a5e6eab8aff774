"""``flask interest-expire``: delete interest-list requests nobody confirmed within a week (the mail worker
also does it with its chores)."""

from __future__ import annotations

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.command("interest-expire")
    def interest_expire_command() -> None:
        """Delete interest-list requests not confirmed within 7 days."""
        from eventapp.interest.services import expire_requests

        click.echo(f"{expire_requests()} unconfirmed interest-list requests deleted")
