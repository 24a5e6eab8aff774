"""Markdown written by organisers, turned into HTML that is safe to show to everyone.

Rendering happens once, when the text is saved (models call ``render_markdown`` from a validator), so a
page view never parses Markdown. nh3 (ammonia) keeps a small allow-list of tags; links get
``rel="noopener noreferrer"``; raw HTML in the source never survives as markup.

``plain_text`` turns that HTML back into readable plain text, for the places that cannot show HTML
(calendar DESCRIPTIONs: ``Event.description_text``), so calendar code takes plain values.
"""

from __future__ import annotations

import html
import re

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


# --- HTML back to plain text ---------------------------------------------------------------------

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^>]*>")
_INLINE_TAGS = re.compile(r"</?(?:strong|em|b|i|code|abbr|span|thead|tbody)\b[^>]*>")
_LINK = re.compile(r"<a\b[^>]*?(?:\bhref=\"([^\"]*)\"[^>]*)?>(.*?)</a>", re.DOTALL)
_PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)
_SPACE_BEFORE_BREAK = re.compile(r"[ \t]+\n")
_MANY_BREAKS = re.compile(r"\n{3,}")
_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "hr", "div"})


def plain_text(description_html: str) -> str:
    """Readable plain text from an event's rendered description (``Event.description_html``).

    The HTML is the organisers' Markdown, rendered and sanitised on save, so reading it here is cheap
    (no Markdown parsing per feed) and meets only the few tags the sanitiser keeps. Markup is dropped;
    paragraphs and headings stay paragraphs; list items become ``- item`` or ``1. item`` lines (indented
    when nested); a link keeps its address, ``text (https://...)``; line breaks and preformatted text
    are kept; table cells are separated by `` | ``.
    """
    if not description_html:
        return ""
    source = description_html
    pre = "<pre" in source
    if pre:  # its white space is kept: hidden behind stand-ins while the rest is collapsed
        source = _PRE.sub(_protect_white_space, source)
    source = _INLINE_TAGS.sub("", " ".join(source.split()))  # white space collapses, as in HTML
    if "<a" in source:
        source = _LINK.sub(_link_text, source)

    out: list[str] = []
    breaks = 0  # line breaks owed before the next text: 1 a new line, 2 a blank line
    line_start = True  # the next text begins a line (so its leading space goes)
    after_marker = False  # just wrote a list item's "- ": the item's paragraph stays on that line
    lists: list[list[int]] = []  # per open list: [next number] for <ol>, [] for <ul>
    first_cell = True
    pos = 0
    for match in _TAG.finditer(source):
        text = source[pos : match.start()]
        pos = match.end()
        if line_start:
            text = text.lstrip(" ")
        if text:
            if breaks and out:
                out.append("\n" * breaks)
            out.append(text)
            breaks, line_start, after_marker = 0, False, False
        closing, name = match.group(1), match.group(2).lower()
        need = 0
        if name in _BLOCKS or name == "br":
            need = 1 if lists or name == "br" else 2
        elif name == "ul" or name == "ol":
            if closing and lists:
                lists.pop()
            need = 1 if lists else 2
            if not closing:
                lists.append([1] if name == "ol" else [])
        elif name == "li":
            need = 1
            if not closing:
                counter = lists[-1] if lists else []
                marker = f"{counter[0]}. " if counter else "- "
                if counter:
                    counter[0] += 1
                if out:
                    out.append("\n" * max(breaks, 1))
                out.append("  " * max(len(lists) - 1, 0) + marker)
                breaks, line_start, after_marker, need = 0, True, True, 0
        elif name == "tr":
            need, first_cell = 1, True
        elif (name == "td" or name == "th") and not closing:
            if not first_cell:
                if out:
                    out[-1] = out[-1].rstrip(" ")
                out.append(" | ")
                line_start = True
            first_cell = False
        if need and not after_marker:
            breaks = max(breaks, need)
            line_start = True
    tail = source[pos:].lstrip(" ") if line_start else source[pos:]
    if tail:
        if breaks and out:
            out.append("\n" * breaks)
        out.append(tail)
    text = "".join(out)
    if pre:
        text = text.replace("\x00", "\n").replace("\x01", " ").replace("\x02", "\t")
    text = _SPACE_BEFORE_BREAK.sub("\n", html.unescape(text))
    return _MANY_BREAKS.sub("\n\n", text).strip()


def _protect_white_space(match: re.Match[str]) -> str:
    return match.group(0).replace("\n", "\x00").replace(" ", "\x01").replace("\t", "\x02")


def _link_text(match: re.Match[str]) -> str:
    """A link as its text followed by its address in brackets (only the text, when they are the same)."""
    href, label = match.group(1) or "", match.group(2)
    if "<" in label:
        label = _TAG.sub("", label)
    label = label.strip()
    if not href or href in (label, f"mailto:{label}", f"tel:{label}"):
        return label
    return f"{label} ({href})" if label else href
