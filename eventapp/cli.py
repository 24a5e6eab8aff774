"""``flask`` commands: seed-demo (more arrive with their issues: create-organiser, worker, ...)."""

from __future__ import annotations

import logging

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

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="Send what is due now, then exit.")
    @click.option("--batch-size", type=click.IntRange(1, 10_000), default=None, help="Mails claimed at once.")
    @click.option("--poll", "poll_seconds", type=click.FloatRange(0.05, 3600), default=2.0, show_default=True,
                  help="Seconds to wait when nothing is due.")  # fmt: skip
    def worker_command(once: bool, batch_size: int | None, poll_seconds: float) -> None:
        """Send the mail in the outbox (SMTP from MAIL_SERVER, or .eml files under instance/mail/)."""
        from eventapp.mail.worker import Worker, install_signal_handlers

        if not logging.getLogger().handlers:
            logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        worker = Worker(batch_size=batch_size or app.config["MAIL_BATCH_SIZE"], poll_seconds=poll_seconds)
        install_signal_handlers(worker)
        tally = worker.run(once=once)
        click.echo(f"Mail worker stopped: {tally}.")
