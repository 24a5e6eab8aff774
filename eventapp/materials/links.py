"""Addresses of recordings, boards and links: which are accepted, and which videos can be embedded.

Only ``https://`` addresses are kept (an ``http://`` one gets a message saying to use the secure address;
``javascript:``, ``data:`` and every other scheme are refused). YouTube and Vimeo videos are recognised so
the event page can offer a privacy-friendly player (youtube-nocookie.com, Vimeo with ``dnt=1``) that loads
only when the visitor asks for it; any other address (Padlet, Miro, a report) is simply linked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from flask_babel import lazy_gettext as _l

from eventapp.errors import ValidationFailed

#: The longest address kept (the column's length).
URL_MAX = 1000

_YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                            "www.youtube-nocookie.com"})  # fmt: skip
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = frozenset({"vimeo.com", "www.vimeo.com"})
_VIMEO_ID = re.compile(r"^\d{1,12}$")
_VIMEO_HASH = re.compile(r"^[0-9a-f]{6,20}$")


def check_url(raw: str, *, field: str = "url") -> str:
    """``raw`` as it is kept (trimmed), if it is a complete ``https://`` address; else ValidationFailed at
    ``field`` with a message that says what to change."""
    url = (raw or "").strip()
    if not url:
        raise ValidationFailed(field, str(_l("Give the address. It starts with https://.")))
    if len(url) > URL_MAX:
        raise ValidationFailed(field, str(_l("The address is longer than %(max)d characters. Please use a "
                                             "shorter link (many sites offer a short “share” link).",
                                             max=URL_MAX)))  # fmt: skip
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise ValidationFailed(field, str(_l("The address has spaces or invisible characters in it. Please copy "
                                             "it again from the browser's address bar.")))  # fmt: skip
    scheme, _, rest = url.partition(":")
    scheme = scheme.lower()
    if scheme == "http":
        raise ValidationFailed(field, str(_l("Please use the secure address: it starts with https://, not "
                                             "http://. Most sites offer it; open the page and copy the address "
                                             "again.")))  # fmt: skip
    if scheme != "https" or not rest.startswith("//"):
        raise ValidationFailed(field, str(_l("Only web addresses that start with https:// are accepted here.")))
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as exc:
        raise ValidationFailed(field, _incomplete()) from exc
    if "." not in host.strip(".") or host.startswith(".") or host.endswith("."):
        raise ValidationFailed(field, _incomplete())
    if parts.username is not None or parts.password is not None:
        raise ValidationFailed(field, str(_l("The address has a user name or password in it. Please give the "
                                             "address without them.")))  # fmt: skip
    return "https" + url[len(scheme) :]


def _incomplete() -> str:
    return str(_l("This is not a complete web address. Copy it from the browser's address bar, for example "
                  "https://padlet.com/…"))  # fmt: skip


@dataclass(frozen=True)
class VideoEmbed:
    """A video the event page can embed: who hosts it, the privacy-friendly player address, and the
    address of the video's own page (the link shown without JavaScript)."""

    provider: str
    player_url: str
    watch_url: str


def video_embed(url: str) -> VideoEmbed | None:
    """The embeddable player for a YouTube or Vimeo address; None for anything else."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    if parts.scheme != "https":
        return None
    segments = [s for s in parts.path.split("/") if s]
    if host in _YOUTUBE_HOSTS or host == "youtu.be":
        video_id = None
        if host == "youtu.be":
            video_id = segments[0] if segments else None
        elif segments[:1] == ["watch"]:
            video_id = (parse_qs(parts.query).get("v") or [None])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "live", "shorts", "v"):
            video_id = segments[1]
        if video_id and _YOUTUBE_ID.match(video_id):
            return VideoEmbed(
                provider="YouTube",
                player_url=f"https://www.youtube-nocookie.com/embed/{video_id}",
                watch_url=f"https://www.youtube.com/watch?v={video_id}",
            )
        return None
    video_id, private_hash = None, None
    if host in _VIMEO_HOSTS and segments and _VIMEO_ID.match(segments[0]):
        video_id = segments[0]
        if len(segments) > 1 and _VIMEO_HASH.match(segments[1]):
            private_hash = segments[1]  # an unlisted video: vimeo.com/<id>/<hash>
    elif host == "player.vimeo.com" and len(segments) >= 2 and segments[0] == "video" and _VIMEO_ID.match(segments[1]):
        video_id = segments[1]
        private_hash = next((h for h in parse_qs(parts.query).get("h", []) if _VIMEO_HASH.match(h)), None)
    if video_id is None:
        return None
    hash_part = f"&h={private_hash}" if private_hash else ""
    return VideoEmbed(
        provider="Vimeo",
        player_url=f"https://player.vimeo.com/video/{video_id}?dnt=1{hash_part}",
        watch_url=f"https://vimeo.com/{video_id}" + (f"/{private_hash}" if private_hash else ""),
    )
