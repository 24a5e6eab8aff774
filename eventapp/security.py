"""Secret links for people without accounts (attendees, speakers): random tokens, stored only as hashes;
and the security headers of every page. (The session cookie's serializer: tweaks/session_serializer.py.)"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

#: Random bytes per token: 192 bits, well above the 128 the threat model asks for.
TOKEN_BYTES = 24


def new_token() -> str:
    """A fresh URL-safe token (32 characters)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    """What the database keeps: the hex SHA-256 of the token (a token is random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def looks_like_token(value: str) -> bool:
    """Cheap check before any query: right length and alphabet."""
    return 20 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)


@contextmanager
def takes_at_least(seconds: float) -> Iterator[None]:
    """Run the block, then wait until ``seconds`` have passed since it began: an answer whose work
    depends on a secret (is this address registered?) then takes the same time either way, as long
    as the work stays under the floor."""
    deadline = time.monotonic() + seconds
    yield
    remaining = deadline - time.monotonic()
    if remaining > 0:
        time.sleep(remaining)


#: A strict policy: everything comes from this site; no inline scripts, no CDN.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'; "
    # Recordings play in the privacy-friendly players, loaded only when the visitor clicks "Play".
    "frame-src https://www.youtube-nocookie.com https://player.vimeo.com"
)
#: Headers every HTML answer carries (the static error page sets them itself).
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}
