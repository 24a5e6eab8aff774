"""The accessibility statement's facts: what is checked, how, and what is known not to be met.

The statement page is written from these lists, and the lists from the tests: each check names the
browser tests that perform it (``@pytest.mark.a11y_check("<id>")`` in ``tests/browser/``), and
``tests/core/test_accessibility_statement.py`` fails when the statement claims a check no test performs,
or a test performs one the statement does not mention. Update ``REVIEWED`` when the checks change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

#: When the statement was last reviewed against the tests.
REVIEWED = date(2026, 12, 6)
#: The standard the statement measures against (EN 301 549 incorporates WCAG 2.1 A and AA).
STANDARD = "WCAG 2.1 A, AA (EN 301 549)"


@dataclass(frozen=True)
class Check:
    id: str
    #: WCAG success criteria the check is about (numbers only, so they read the same in every language).
    criteria: tuple[str, ...]
    what: str


CHECKS: tuple[Check, ...] = (
    Check(
        "axe-public",
        ("1.1.1", "1.3.1", "1.4.3", "2.4.2", "3.1.1", "4.1.2"),
        _l(
            "Every public page (events, programmes, sign-up, your registration, sign-in, password reset, "
            "error pages) is checked with axe-core for every WCAG 2.1 A and AA rule, in Chromium."
        ),
    ),
    Check(
        "axe-forms",
        ("3.3.1", "3.3.2", "1.3.1", "4.1.2"),
        _l(
            "Every form is also checked in its error state: each error is announced, named in a summary "
            "and linked to its field."
        ),
    ),
    Check(
        "axe-back-office",
        ("1.3.1", "1.4.3", "2.4.6", "4.1.2"),
        _l(
            "Every page of the organisers' back office is checked with axe-core in the same way; new pages "
            "are found and checked automatically."
        ),
    ),
    Check(
        "html-valid",
        ("4.1.1",),
        _l(
            "The HTML of every page and form state checked above is validated with the Nu HTML Checker, in all "
            "six languages; any error, such as an id used twice, fails the tests."
        ),
    ),
    Check(
        "reflow",
        ("1.4.4", "1.4.10"),
        _l("The main public pages are shown 320 pixels wide and at 200 % zoom without scrolling sideways."),
    ),
    Check(
        "keyboard",
        ("2.1.1", "2.4.3", "2.4.7"),
        _l("The whole registration is done with the keyboard alone, from finding the event to the confirmation."),
    ),
    Check(
        "error-focus",
        ("3.3.1", "3.3.3"),
        _l("When a form comes back with errors, the error summary takes focus and each error links to its field."),
    ),
    Check(
        "autocomplete",
        ("1.3.5",),
        _l("Name, email, organisation and job title fields say what they are for, so browsers can fill them in."),
    ),
)

#: What is known not to meet the standard, or is not checked; shown as the statement's non-compliance.
LIMITATIONS = (
    _l("Slides, documents and recordings uploaded by speakers are not checked by us. We ask speakers for "
       "accessible files (tagged PDF, slides with alternative texts, captioned recordings); tell us if one "
       "is not accessible and we will ask for a better version."),
    _l("Recordings play in YouTube's or Vimeo's player, whose accessibility is the provider's. Every "
       "recording can also be opened directly on the provider's site."),
    _l("The automated checks find about a third to half of accessibility problems. The pages have not yet "
       "been tested by users of screen readers or other assistive technology."),
    _l("Charts on the statistics pages (for organisers) are pictures with a text description; the same "
       "numbers are always in a table beside them."),
)  # fmt: skip


def check_ids() -> frozenset[str]:
    return frozenset(check.id for check in CHECKS)
