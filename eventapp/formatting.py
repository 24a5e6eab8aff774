"""Dates, times and durations as a person reads them, in the page's language.

Every function takes an aware datetime already converted to the zone it should be shown in (the
event's zone: see ``Event.local_starts_at``) and formats it with Babel for the current locale. English
is formatted the European way (24-hour clock, day before month), since eventapp's readers are Nordic.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache, lru_cache

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from markupsafe import Markup, escape

#: Locales whose Babel formats do not suit a European reader, and what to format with instead.
_FORMAT_LOCALE = {"en": "en_GB"}


@cache
def _babel_locale(code: str) -> Locale:
    return Locale.parse(_FORMAT_LOCALE.get(code, code))


def format_locale() -> Locale:
    locale = get_locale()
    return _babel_locale(str(locale) if locale else "en")


def long_date(dt: datetime) -> str:
    """'Friday 11 December 2020' / 'fredag 11. desember 2020'."""
    return format_date(dt.date(), format="full", locale=format_locale())


def short_date(dt: datetime) -> str:
    """'11 Dec 2020' / '11. des. 2020'."""
    return format_date(dt.date(), format="medium", locale=format_locale())


def clock(dt: datetime) -> str:
    """'09:00' / '09.00' in the locale's style, in ``dt``'s own zone."""
    return format_time(dt, format="short", tzinfo=dt.tzinfo, locale=format_locale())


def zone_name(dt: datetime) -> str:
    """The zone in force at ``dt``, by name: 'Central European Summer Time' / 'sentraleuropeisk sommertid'."""
    return get_timezone_name(dt, width="long", locale=format_locale())


def time_range(start: datetime, end: datetime) -> str:
    """'09:00–11:00 Central European Standard Time'.

    When the offset changes in between (the night DST ends or starts) each time gets its own zone
    name, so that '02:30' cannot be read as the other 02:30 of that night.
    """
    if start.utcoffset() == end.utcoffset():
        return _("%(start)s–%(end)s %(zone)s", start=clock(start), end=clock(end), zone=zone_name(start))
    return _(
        "%(start)s %(start_zone)s – %(end)s %(end_zone)s",
        start=clock(start),
        start_zone=zone_name(start),
        end=clock(end),
        end_zone=zone_name(end),
    )


def duration(delta: timedelta) -> str:
    """'2 hours', '1 hour 30 minutes', '45 minutes', '3 days'."""
    minutes = int(delta.total_seconds() // 60)
    if minutes >= 24 * 60 and minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return ngettext("%(num)d day", "%(num)d days", days)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if minutes or not hours:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes))
    return " ".join(parts)


def iso(dt: datetime) -> str:
    """Machine-readable time for ``<time datetime=...>``."""
    return dt.isoformat(timespec="minutes")


TEMPLATE_FILTERS = {
    "long_date": long_date,
    "short_date": short_date,
    "clock": clock,
    "zone_name": zone_name,
    "duration": duration,
    "iso": iso,
}
TEMPLATE_GLOBALS = {"time_range": time_range}


@lru_cache(maxsize=64)
def _language(code: str) -> Locale:
    """The language ``code`` as Babel knows it, made once (``Locale.parse`` of a code looks for Babel's data
    file on disk and loads the locale again on every call)."""
    return Locale.parse(code)


def language_name(code: str) -> str:
    """A language code as a name in the page's language: 'nb' → 'Norwegian Bokmål' / 'norsk bokmål'."""
    try:
        name = _language(code).get_display_name(format_locale())
    except (ValueError, TypeError):
        return code
    return name[:1].upper() + name[1:] if name else code


TEMPLATE_FILTERS["language_name"] = language_name


def paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines into paragraphs (line breaks inside a paragraph are kept)."""
    return [part.strip("\n") for part in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if part.strip()]


_URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")


def linkify(text: str) -> Markup:
    """Plain text as HTML with its http(s) addresses made into links; everything else is escaped."""
    out, last = [], 0
    for match in _URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = match.group(0)
        out.append(Markup('<a href="{0}" style="color:#0b5cad">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


TEMPLATE_FILTERS["paragraphs"] = paragraphs
TEMPLATE_FILTERS["linkify"] = linkify


def file_size(size: int) -> str:
    """A file's size for people: '820 kB', '2.4 MB' / '2,4 MB' (1 kB = 1,024 bytes, as upload limits count)."""
    from babel.numbers import format_decimal

    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)), locale=format_locale())} kB"
    return f"{format_decimal(size / (1024 * 1024), format='#,##0.#', locale=format_locale())} MB"


TEMPLATE_FILTERS["file_size"] = file_size


def country_name(code: str) -> str:
    """A country by its name in the page's language ('SE' → 'Sverige' / 'Sweden'); the code if unknown."""
    return format_locale().territories.get(code, code)


TEMPLATE_FILTERS["country_name"] = country_name
