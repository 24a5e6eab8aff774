"""Markdown written by organisers, turned into HTML that is safe to show to everyone.

Rendering happens once, when the text is saved (models call ``render_markdown`` from a validator), so a
page view never parses Markdown. nh3 (ammonia) keeps a small allow-list of tags; links get
``rel="noopener noreferrer"``; raw HTML in the source never survives as markup.
"""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p", "pre",
    "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(source: str | None) -> str:
    """Markdown source to sanitised HTML ('' for empty input)."""
    if not source or not source.strip():
        return ""
    html = markdown.markdown(source, extensions=["sane_lists", "tables"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


def search_text(*parts: str | None) -> str:
    """The text a catalogue search looks in: lower-cased the Unicode way (Ø matches ø on SQLite too)."""
    return " ".join(p.casefold() for p in parts if p)
