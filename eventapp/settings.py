"""The configuration the app factory completes after reading the environment (``config.Config``): defaults
that depend on the instance folder, and the secret key's checks."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask


def finish(app: Flask) -> None:
    """Fill in what the environment left open (database, uploads, request size, a development secret key)
    and refuse a weak secret key outside debug and testing."""
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{Path(app.instance_path) / 'eventapp.sqlite'}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    if not app.config.get("UPLOAD_FOLDER"):
        app.config["UPLOAD_FOLDER"] = str(Path(app.instance_path) / "uploads")
    if not app.config.get("MAX_CONTENT_LENGTH"):  # the largest upload, plus 1 MB for the rest of the form
        app.config["MAX_CONTENT_LENGTH"] = (int(app.config["MAX_UPLOAD_MB"]) + 1) * 1024 * 1024
    if not app.config.get("SECRET_KEY"):
        if not (app.debug or app.testing):
            raise RuntimeError(
                "SECRET_KEY is not set. Set it in the environment (for example: "
                "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')), "
                "or run with --debug on a development machine."
            )
        app.config["SECRET_KEY"] = _development_secret_key(Path(app.instance_path))
    elif not (app.debug or app.testing):
        _refuse_weak_secret_key(str(app.config["SECRET_KEY"]))


#: Keys people type when they mean "any key": refused outside debug however long they are.
_WEAK_SECRET_KEYS = ("secret", "changeme", "change-me", "password", "development", "dev", "test", "eventapp")


def _refuse_weak_secret_key(key: str) -> None:
    """The session cookies, CSRF tokens and password-reset links are only as strong as the key: ask for
    at least 32 random bytes' worth (32 characters of any kind, 64 if it is hex), with no sign of being
    typed by hand (a known word, a repeated character)."""
    hex_only = all(char in "0123456789abcdefABCDEF" for char in key)
    lowered = key.lower()
    if (
        len(key) < (64 if hex_only else 32)
        or len(set(key)) < 12
        or any(word in lowered for word in _WEAK_SECRET_KEYS if lowered.count(word) * len(word) * 2 >= len(key))
    ):
        raise RuntimeError(
            "SECRET_KEY is too weak: use at least 32 random bytes, for example: "
            "export SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
        )


def _development_secret_key(instance: Path) -> str:
    """A random key made once per checkout and kept in instance/ (mode 0600), for debug runs only."""
    path = instance / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
