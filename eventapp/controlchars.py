"""Control characters: which ones text may carry, one rule for forms, search boxes and mail headers.

Nobody types a control character; they arrive pasted from another program or sent by a probe, and
they break things far from the form: CR and LF end a mail header and start a new one (header
injection), BEL or ESC make strict calendar parsers reject a whole feed, NUL cannot be stored by
PostgreSQL. The rule:

- single-line text (names, titles, subjects, ...) may carry none of them: no character of Unicode
  category Cc (U+0000-U+001F, U+007F-U+009F, which includes tab, CR, LF and NEL), no line or paragraph
  separator (U+2028, U+2029: line breaks to many parsers, and to ``str.splitlines``), and no bidi
  embedding, override or isolate (U+202A-U+202E, U+2066-U+2069: they reorder the text shown after them,
  so a name or subject can be made to read as something else). The bidi marks LRM, RLM and ALM stay
  allowed (people writing right-to-left text use them, and they reorder nothing);
- multi-line text (text areas) may in addition carry tab, CR and LF, and nothing else from that list.

Forms refuse such text (``eventapp.forms``); search boxes drop it (``without_control_characters``);
the mail builder raises when a header value would carry any of it.
"""

from __future__ import annotations

import re

#: Everything single-line text may not carry (see the module docstring).
SINGLE_LINE_FORBIDDEN = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
#: The same, less the tab, CR and LF a text area sends.
MULTI_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def first_forbidden(value: str, *, multiline: bool = False) -> str | None:
    """The first character ``value`` may not carry (None when it is clean)."""
    found = (MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN).search(value)
    return found.group() if found else None


def describe(character: str) -> str:
    """``U+000D`` for a character, as an error message or a log line names it."""
    return f"U+{ord(character):04X}"


def without_control_characters(value: str | None) -> str | None:
    """Text with the characters single-line text may not carry taken out: a form filter for search
    boxes, so the query sent to the database never carries them (the form refuses them as well)."""
    return SINGLE_LINE_FORBIDDEN.sub("", value) if value else value
