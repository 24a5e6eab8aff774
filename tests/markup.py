"""Reading pages as a screen reader or a browser's form validation would: labels, groups, ids, selects.

Plain helpers on lxml's HTML tree, for the HTTP tests of forms and tables (the browser tests validate
every page they visit with the Nu HTML Checker as well).
"""

from __future__ import annotations

import re
from collections import Counter

import lxml.html
from lxml.html import HtmlElement

#: A form control a person fills in (hidden inputs and buttons are not).
CONTROLS = "//input[not(@type='hidden') and not(@type='submit')] | //select | //textarea"


def tree(html: str) -> HtmlElement:
    return lxml.html.document_fromstring(html)


def squashed(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def label_of(page: HtmlElement, control: HtmlElement) -> str:
    """What a screen reader says for the control: its label, after the legend of the fieldset that groups it
    when it is one of a group of radio buttons or checkboxes."""
    labels = page.xpath("//label[@for=$id]", id=control.get("id", ""))
    own = squashed(labels[0]) if labels else ""
    legends = control.xpath("ancestor::fieldset[1]/legend")
    if control.get("type") in ("radio", "checkbox") and legends:
        return f"{squashed(legends[0])} › {own}"
    return own


def duplicate_ids(html: str) -> dict[str, int]:
    """Every id attribute that occurs more than once, with its count (read from the source, so the
    parser's repairs hide nothing)."""
    counts = Counter(re.findall(r"""\sid=["']?([^"'\s>]+)""", html))
    return {key: n for key, n in counts.items() if n > 1}


def required_selects_with_a_real_first_option(page: HtmlElement) -> list[str]:
    """Names of ``<select required>`` whose first option is a real value: the browser can never ask a
    person to choose, and the HTML is invalid."""
    found = []
    for select in page.xpath("//select[@required]"):
        options = select.xpath(".//option")
        if options and (options[0].get("value") or "") != "":
            found.append(select.get("name", "?"))
    return found


def forms_inside_paragraphs(html: str) -> list[str]:
    """The start of each ``<p>`` that a ``<form>`` opens inside (the parser closes the paragraph there and
    leaves a stray ``</p>``): read from the source, since a parsed tree has already moved the form out."""
    return [m.group(0)[:80] for m in re.finditer(r"<p\b[^>]*>(?:(?!</p>).)*?<form\b", html, re.S)]
