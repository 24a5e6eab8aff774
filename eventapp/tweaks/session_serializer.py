"""Flask's signed-cookie sessions with the signing serializer made once per secret key.

Flask's ``SecureCookieSessionInterface`` builds a new ``itsdangerous`` serializer in
``get_signing_serializer`` on every request (for ``open_session`` and again for ``save_session``);
building it cost about a sixth of a cached page's time. The assumption: Flask still asks for the
serializer through that one method, with the app, and takes whatever it returns.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once per secret key instead of
    on every request."""

    def __init__(self) -> None:
        self._serializer: tuple[object, URLSafeTimedSerializer | None] | None = None

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        key = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        if self._serializer is None or self._serializer[0] != key:
            self._serializer = (key, super().get_signing_serializer(app))
        return self._serializer[1]


def install(app: Flask) -> None:
    app.session_interface = SessionCookies()
