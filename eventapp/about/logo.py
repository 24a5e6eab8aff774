"""What an uploaded logo may be: a PNG, or an SVG that has been through a sanitiser.

An SVG is a document that can carry scripts, event handlers, links to ``javascript:`` and loads from
other sites. It is passed through svg-hush (Cloudflare's SVG filter, via ``py-svg-hush``), which keeps the
drawing and drops everything active or external; only its output is stored. The site shows the logo in
an ``<img>`` (where browsers run no script anyway) and serves it with a sandboxing CSP, so a logo opened
on its own cannot act either. A PNG is checked by its signature and header, never by its name.
"""

from __future__ import annotations

import struct

import py_svg_hush

#: The largest logo accepted, in bytes (a logo is small; a photo is not a logo).
MAX_LOGO_BYTES = 512 * 1024
#: The largest width or height of a PNG logo, in pixels.
MAX_PNG_SIDE = 4096

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class NotALogo(Exception):
    """The bytes are neither a PNG nor an SVG that can be shown safely."""


def checked_logo(data: bytes) -> tuple[bytes, str]:
    """The bytes to store and their media type; raises NotALogo."""
    if not data:
        raise NotALogo("empty")
    if len(data) > MAX_LOGO_BYTES:
        raise NotALogo("too large")
    if data.startswith(PNG_SIGNATURE):
        return _checked_png(data), "image/png"
    return _sanitised_svg(data), "image/svg+xml"


def _checked_png(data: bytes) -> bytes:
    # The first chunk of every PNG is IHDR: length 13, then width and height as big-endian integers.
    if len(data) < 33 or data[12:16] != b"IHDR":
        raise NotALogo("broken PNG")
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_PNG_SIDE and 0 < height <= MAX_PNG_SIDE):
        raise NotALogo("PNG size")
    if not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        raise NotALogo("truncated PNG")
    return data


def _sanitised_svg(data: bytes) -> bytes:
    head = data[:1024].lstrip().lower()
    if not (head.startswith(b"<svg") or head.startswith(b"<?xml")) or b"<svg" not in data[:4096].lower():
        raise NotALogo("not SVG")
    try:
        cleaned = py_svg_hush.filter_svg(data)
    except ValueError as exc:  # "XML parsing error" and the like
        raise NotALogo("unreadable SVG") from exc
    if b"<svg" not in cleaned:
        raise NotALogo("not SVG")
    return cleaned
