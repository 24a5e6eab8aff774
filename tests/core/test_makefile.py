"""`make run` as a newcomer uses it: only what running needs, and links that point where it serves."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _dry_run(*args: str, env_base_url: str | None = None) -> str:
    """The commands `make run` would run, all of them (-B: as on a fresh machine), none executed."""
    make = shutil.which("make")
    if make is None:
        pytest.fail("make is needed: the README's first command is `make run`")
    env = {"PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": str(REPO)}
    if env_base_url:
        env["EVENTAPP_BASE_URL"] = env_base_url
    result = subprocess.run(
        [make, "--no-print-directory", "-n", "-B", "run", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_make_run_installs_only_what_running_needs():
    commands = _dry_run()
    assert "pip install --quiet --disable-pip-version-check --require-hashes -r requirements.txt\n" in commands
    assert "requirements-dev.txt" not in commands  # no Playwright, ruff or pytest to try the app


def test_make_run_on_another_port_links_to_that_port():
    commands = _dry_run("PORT=5077")
    app_commands = [line for line in commands.splitlines() if "flask --app wsgi" in line]
    assert len(app_commands) == 4  # db upgrade, seed-demo, worker, run
    assert "--port 5077" in app_commands[-1]
    for line in app_commands:
        assert "EVENTAPP_BASE_URL=http://127.0.0.1:5077" in line, line


def test_a_base_url_set_by_the_deployer_wins():
    commands = _dry_run("PORT=5077", env_base_url="https://events.example.org")
    app_commands = [line for line in commands.splitlines() if "flask --app wsgi" in line]
    assert all("EVENTAPP_BASE_URL=https://events.example.org" in line for line in app_commands)
