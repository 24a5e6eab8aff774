"""Secret links for people without accounts (attendees, speakers): random tokens, stored only as hashes."""

from __future__ import annotations

import hashlib
import secrets

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
