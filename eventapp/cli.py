"""``flask`` commands: seed-demo (more arrive with their issues: create-organiser, worker, ...)."""

from __future__ import annotations

import logging
import signal
from pathlib import Path

import click
from flask import Flask


def _one_line(_ctx: click.Context, _param: click.Parameter, value: str) -> str:
    """Text that reaches a mail header (a name) is one line of ordinary text, as the forms require."""
    from eventapp.controlchars import describe, first_forbidden

    character = first_forbidden(value or "")
    if character is not None:
        raise click.BadParameter(f"must be one line of ordinary text (it holds the control character "
                                 f"{describe(character)})")  # fmt: skip
    return value


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Fill the database with demo programmes, events, agendas and speakers (fictional people).

        Safe to run again: what already exists (by slug) is left as it is.
        """
        from eventapp.demo import demo_organiser, seed_demo

        report = seed_demo()
        login = demo_organiser(Path(app.instance_path))
        click.echo(
            f"Demo data: {report.programmes_added} programmes and {report.events_added} events added "
            f"({report.programmes_kept} programmes and {report.events_kept} events were already there)."
        )
        click.echo(f"Demo organiser (administrator): {login[0]} / password {login[1]}")

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
        # A stop's grace timer must not outlive the worker: fired while the interpreter shuts down (slow on a
        # loaded machine) it would end a cleanly stopped worker with SIGALRM (exit status -14).
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        click.echo(f"Mail worker stopped: {tally}.")

    @app.cli.command("create-organiser")
    @click.argument("email")
    @click.option("--name", default="", callback=_one_line, help="Name shown to colleagues.")
    @click.option("--admin", is_flag=True, help="An administrator (manages everything, and organisers).")
    @click.option("--password", default=None, help="For scripts; without it the password is asked for.")
    def create_organiser_command(email: str, name: str, admin: bool, password: str | None) -> None:
        """Create an organiser account that signs in at /login."""
        from eventapp.accounts.enums import Role
        from eventapp.accounts.services import create_user
        from eventapp.errors import ValidationFailed

        if password is None:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        try:
            user = create_user(email=email, password=password, name=name, role=Role.ADMIN if admin else Role.ORGANISER)
        except ValidationFailed as exc:
            raise click.ClickException(str(exc.message)) from exc
        click.echo(f"Created {user.role.label.lower()} {user.email}; sign in at /login.")

    @app.cli.command("purge-personal-data")
    @click.option("--days", type=click.IntRange(0, 36500), default=None,
                  help="Keep this many days after an event (default EVENTAPP_RETENTION_DAYS).")  # fmt: skip
    @click.option("--dry-run", is_flag=True, help="Only count what would go.")
    def purge_command(days: int | None, dry_run: bool) -> None:
        """Delete attendees' personal data of events that ended long enough ago (run it daily)."""
        from eventapp.registrations.chores import purge_personal_data

        retention = app.config["EVENTAPP_RETENTION_DAYS"] if days is None else days
        report = purge_personal_data(retention_days=retention, dry_run=dry_run)
        verb = "Would purge" if dry_run else "Purged"
        click.echo(f"{verb} {report.registrations} registrations of {report.events} events "
                   f"(and {report.mails} mails) that ended more than {retention} days ago.")  # fmt: skip
