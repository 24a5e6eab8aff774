"""The words ``ics.py`` writes into calendars, in a given language (it is pure and takes them as an
argument). Public calendar files and feeds use each event's own language, so the added lines read like the
title and description around them; invitations use the language of the person they go to."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from eventapp.calendar.ics import ENGLISH, Labels
from eventapp.i18n import available_locales

_cache: dict[str, Labels] = {}


def labels_in(locale: str) -> Labels:
    """The labels in ``locale`` (English when there is no catalogue for it). Needs an app context."""
    found = _cache.get(locale)
    if found is None:
        if locale not in available_locales():
            return ENGLISH
        with force_locale(locale):
            found = Labels(
                online=_("Online"),
                event_page=_("Event page"),
                join=_("Join online"),
            )
        _cache[locale] = found
    return found


def labels_for_event(event) -> Labels:
    return labels_in(event.language)
