"""Configuration from the environment, and nothing else.

Every setting has a safe default for a laptop (SQLite, mail written to files) except ``SECRET_KEY``,
which must be set outside debug mode; see ``eventapp.create_app``. The README lists every variable.
"""

from __future__ import annotations

import os


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError as exc:  # a typo in the environment should stop start-up, loudly
        raise RuntimeError(f"{name} must be a whole number, got {value!r}") from exc


def normalise_database_url(url: str) -> str:
    """Accept the URL forms hosting providers hand out and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Read once, when the app is created (never at import time of the app package)."""

    def __init__(self) -> None:
        env = os.environ
        self.SECRET_KEY: str | None = env.get("SECRET_KEY") or None
        #: None means "SQLite in the instance folder"; create_app fills in the path.
        url = env.get("DATABASE_URL")
        self.SQLALCHEMY_DATABASE_URI: str | None = normalise_database_url(url) if url else None
        self.EVENTAPP_BASE_URL: str = env.get("EVENTAPP_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.EVENTAPP_SITE_NAME: str = env.get("EVENTAPP_SITE_NAME", "eventapp")
        #: Where the accessibility statement asks people to report problems (default: the sender address).
        self.EVENTAPP_ACCESSIBILITY_CONTACT: str = env.get("EVENTAPP_ACCESSIBILITY_CONTACT", "")
        # The privacy statement (/privacy): who is responsible for the personal data, and whom to ask.
        self.EVENTAPP_PRIVACY_CONTROLLER: str = env.get("EVENTAPP_PRIVACY_CONTROLLER", "")
        self.EVENTAPP_PRIVACY_CONTACT: str = env.get("EVENTAPP_PRIVACY_CONTACT", "")
        self.EVENTAPP_DPO_CONTACT: str = env.get("EVENTAPP_DPO_CONTACT", "")
        self.EVENTAPP_SUPERVISORY_AUTHORITY: str = env.get(
            "EVENTAPP_SUPERVISORY_AUTHORITY", "Datatilsynet (the Norwegian Data Protection Authority), datatilsynet.no"
        )
        self.EVENTAPP_DEFAULT_LOCALE: str = env.get("EVENTAPP_DEFAULT_LOCALE", "nb")
        self.EVENTAPP_DEFAULT_TIMEZONE: str = env.get("EVENTAPP_DEFAULT_TIMEZONE", "Europe/Oslo")
        self.EVENTAPP_RETENTION_DAYS: int = _int("EVENTAPP_RETENTION_DAYS", 365)
        self.MAIL_SERVER: str | None = env.get("MAIL_SERVER") or None
        self.MAIL_PORT: int = _int("MAIL_PORT", 25)
        self.MAIL_USE_TLS: bool = _bool("MAIL_USE_TLS")
        self.MAIL_USE_SSL: bool = _bool("MAIL_USE_SSL")
        self.MAIL_USERNAME: str | None = env.get("MAIL_USERNAME") or None
        self.MAIL_PASSWORD: str | None = env.get("MAIL_PASSWORD") or None
        self.MAIL_DEFAULT_SENDER: str = env.get("MAIL_DEFAULT_SENDER", "eventapp <noreply@example.org>")
        #: Attempts before a mail is marked failed; the n-th retry waits base × 2^(n-1) seconds.
        self.MAIL_MAX_ATTEMPTS: int = _int("MAIL_MAX_ATTEMPTS", 8)
        self.MAIL_RETRY_BASE_SECONDS: int = _int("MAIL_RETRY_BASE_SECONDS", 60)
        #: The lease a worker holds on the mails it claimed; it renews the lease while it works, so a mail
        #: whose lease ran out belongs to a worker that died (or lost the database) and is taken up again.
        self.MAIL_SENDING_TIMEOUT_SECONDS: int = _int("MAIL_SENDING_TIMEOUT_SECONDS", 120)
        #: Time-out of every SMTP network step (connect, each command): a silent server means "retry later".
        self.MAIL_TIMEOUT_SECONDS: int = _int("MAIL_TIMEOUT_SECONDS", 30)
        #: /healthz calls mail stalled when the oldest due mail has waited longer than this.
        self.MAIL_HEALTH_MAX_WAIT_SECONDS: int = _int("MAIL_HEALTH_MAX_WAIT_SECONDS", 600)
        #: Mails a worker claims at once.
        self.MAIL_BATCH_SIZE: int = _int("MAIL_BATCH_SIZE", 100)
        self.UPLOAD_FOLDER: str | None = env.get("UPLOAD_FOLDER") or None
        self.MAX_UPLOAD_MB: int = _int("MAX_UPLOAD_MB", 50)
        #: Memory per app process for rendered public pages (0 turns the page cache off).
        self.EVENTAPP_PAGE_CACHE_MB: int = _int("EVENTAPP_PAGE_CACHE_MB", 32)
        #: Seconds a process trusts the content version it last read before asking the database again:
        #: a change made through another process shows on cached pages within this time (its own at once).
        self.EVENTAPP_VERSION_CHECK_SECONDS: float = float(env.get("EVENTAPP_VERSION_CHECK_SECONDS") or 1.0)
        self.RATELIMIT_STORAGE_URI: str = env.get("RATELIMIT_STORAGE_URI", "memory://")
        #: Sign-ups and "lost your link" requests per client address (Flask-Limiter syntax).
        self.RATELIMIT_SIGNUP: str = env.get("RATELIMIT_SIGNUP", "10 per minute;60 per hour")
        #: Sign-in attempts per client address.
        self.RATELIMIT_LOGIN: str = env.get("RATELIMIT_LOGIN", "5 per minute;30 per hour")
        #: "Lost your link" answers after at least this long, whether or not the address is registered
        #: (finding and mailing a registration takes a few milliseconds more than finding none).
        self.EVENTAPP_LOST_LINK_SECONDS: float = float(env.get("EVENTAPP_LOST_LINK_SECONDS") or 0.25)
        #: "Keep me informed" forms sent back faster than this are taken for a bot (same answer, nothing mailed).
        self.EVENTAPP_FORM_MIN_SECONDS: float = float(env.get("EVENTAPP_FORM_MIN_SECONDS") or 2)
        self.RATELIMIT_ENABLED: bool = _bool("RATELIMIT_ENABLED", True)
        #: Behind a proxy (nginx, a load balancer): how many proxies set X-Forwarded-For (0: none).
        self.EVENTAPP_PROXY_COUNT: int = _int("EVENTAPP_PROXY_COUNT", 0)
        #: Behind HTTPS (any real deployment) cookies must only travel encrypted.
        self.SESSION_COOKIE_SECURE: bool = _bool("SESSION_COOKIE_SECURE", self.EVENTAPP_BASE_URL.startswith("https://"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        # No pool_pre_ping: a round trip more per request; connections idle for this long are tested
        # before use instead (``db.ping_after_idle``), so a restarted PostgreSQL costs no request.
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {}
        self.EVENTAPP_DB_PING_AFTER_IDLE_SECONDS: float = float(env.get("EVENTAPP_DB_PING_AFTER_IDLE_SECONDS") or 1)
        # Static files carry a content hash in their URL, so browsers may keep them for a year.
        self.SEND_FILE_MAX_AGE_DEFAULT = 365 * 24 * 3600

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}
