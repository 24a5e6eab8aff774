"""Organisation numbers of the Nordic countries, checked and written one way.

A registration form asks for the organisation number of the registrant's employer. For Norway, Sweden,
Denmark, Finland and Iceland the number is checked (length and check digit, and the other national rules,
by python-stdnum) and brought to one canonical form, so that "NO 923 609 016 MVA" and "923609016" are the
same organisation; numbers of other countries are only trimmed and kept as typed. ``organisation_key`` then
names an organisation for per-organisation quotas: by its number when it has a valid one, otherwise by its
name with the legal form left out.
What is ours: the spellings people type (separators, VAT prefixes and suffixes, Sweden's "16", old Finnish
6-digit bodies), the canonical form, the messages, and the organisation key; the arithmetic is stdnum's.

Pure functions: no app context is needed, except to render an error's ``message`` (a lazy translation).

Note: a Swedish sole trader's (enskild firma) number is the owner's personnummer. Such numbers are
accepted, and are personal data: they are never put in an exception's text or arguments.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Literal

from flask_babel import lazy_gettext as _l
from stdnum import luhn
from stdnum.dk import cvr
from stdnum.exceptions import InvalidChecksum as StdnumInvalidChecksum
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fi import alv as fi_alv
from stdnum.is_ import kennitala
from stdnum.no import orgnr as no_orgnr
from stdnum.se import orgnr as se_orgnr

if TYPE_CHECKING:
    from flask_babel import LazyString

__all__ = [
    "CHECKED_COUNTRIES",
    "MAX_UNCHECKED_LENGTH",
    "InvalidOrganisationNumber",
    "normalise",
    "organisation_key",
]

CHECKED_COUNTRIES: frozenset[str] = frozenset({"NO", "SE", "DK", "FI", "IS"})
"""Countries whose numbers are checked and written in a canonical form. Others are kept as typed."""

MAX_UNCHECKED_LENGTH = 40
"""The longest number accepted for a country that is not checked."""

Reason = Literal["empty", "format", "check_digit"]

# Tolerated between the digits of a checked number: any whitespace, dots, dashes.
_SEPARATORS = re.compile(r"[\s.\-]+")
_DIGITS = re.compile(r"[0-9]+")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")
# Anything much longer than a number in its longest tolerated spelling is not worth looking at.
_MAX_CHECKED_INPUT = 64


class InvalidOrganisationNumber(ValueError):
    """The number cannot be an organisation number of that country.

    ``message`` is a lazily translated sentence for the person filling in the form, naming the national
    format. ``reason`` says what is wrong: ``"empty"``, ``"format"`` (wrong length or characters) or
    ``"check_digit"`` (right shape, but the check digit does not match, so a digit is mistyped).
    The number itself is not kept (it may be a personnummer).
    """

    def __init__(self, message: LazyString, *, country: str, reason: Reason) -> None:
        super().__init__(message)
        self.message = message
        self.country = country
        self.reason: Reason = reason


def _format_message(country: str) -> LazyString:
    if country == "NO":
        return _l("A Norwegian organisation number has 9 digits, such as 923 609 016.")
    if country == "SE":
        return _l("A Swedish organisation number has 10 digits, such as 202100-5448.")
    if country == "DK":
        return _l("A Danish CVR number has 8 digits, such as 10 15 08 17.")
    if country == "FI":
        return _l("A Finnish business ID (Y-tunnus) has 7 digits, a dash and a check digit, such as 0244683-1.")
    if country == "IS":
        return _l("An Icelandic kennitala has 10 digits, such as 540269-6029.")
    return _l(
        "An organisation number can have at most %(max)d characters: letters, digits, spaces, dashes and dots.",
        max=MAX_UNCHECKED_LENGTH,
    )


def _check_digit_message(country: str) -> LazyString:
    if country == "NO":
        return _l("This is not a valid Norwegian organisation number: please check the digits.")
    if country == "SE":
        return _l("This is not a valid Swedish organisation number: please check the digits.")
    if country == "DK":
        return _l("This is not a valid Danish CVR number: please check the digits.")
    if country == "FI":
        return _l("This is not a valid Finnish business ID (Y-tunnus): please check the digits.")
    return _l("This is not a valid Icelandic kennitala: please check the digits.")


def _bad_format(country: str) -> InvalidOrganisationNumber:
    return InvalidOrganisationNumber(_format_message(country), country=country, reason="format")


def _bad_check_digit(country: str) -> InvalidOrganisationNumber:
    return InvalidOrganisationNumber(_check_digit_message(country), country=country, reason="check_digit")


def _country_code(country: str) -> str:
    code = country.strip().upper()
    if not _COUNTRY_CODE.fullmatch(code):
        raise ValueError(f"not an ISO 3166 alpha-2 country code: {country!r}")
    return code


def _compact(country: str, value: str) -> str:
    """``value`` upper-cased, without separators; refused when it is far too long to be a number."""
    if len(value) > _MAX_CHECKED_INPUT:
        raise _bad_format(country)
    return _SEPARATORS.sub("", value).upper()


def _digits(country: str, value: str, *lengths: int) -> str:
    if not _DIGITS.fullmatch(value) or len(value) not in lengths:
        raise _bad_format(country)
    return value


def _checked(country: str, number: str, module: ModuleType) -> str:
    """``number`` (digits of the right length) checked by python-stdnum's ``module`` for ``country``.

    The check digit is tested first, so that one mistyped digit is always reported as such; the other rules
    of the national definition that stdnum knows (a Danish CVR number never starts with 0; a kennitala
    holds a real date and ends in the century digit 9 or 0) then count as a wrong format."""
    if module.checksum(number) != 0:
        raise _bad_check_digit(country)
    try:
        module.validate(number)
    except StdnumInvalidChecksum as exc:  # pragma: no cover - the checksum above said otherwise
        raise _bad_check_digit(country) from exc
    except StdnumValidationError as exc:
        raise _bad_format(country) from exc
    return number


def _norway(value: str) -> str:
    """Organisasjonsnummer: 9 digits, the last a mod-11 check digit. "NO … MVA" (the VAT form) is tolerated."""
    compact = _compact("NO", value)
    compact = compact.removeprefix("NO").removesuffix("MVA")
    return _checked("NO", _digits("NO", compact, 9), no_orgnr)


def _sweden(value: str) -> str:
    """Organisationsnummer (or a sole trader's personnummer): 10 digits passing the Luhn check.

    Also written with the "16" prefix (12 digits) and as the VAT number "SE" + 10 digits + "01" ("SE" + the
    10 digits alone is taken too).
    """
    compact = _compact("SE", value)
    if compact.startswith("SE"):
        number = _digits("SE", compact.removeprefix("SE"), 10, 12)
        if len(number) == 12:
            if not number.endswith("01"):
                raise _bad_format("SE")
            number = number[:10]
    else:
        number = _digits("SE", compact, 10, 12)
        if len(number) == 12:
            if not number.startswith("16"):
                raise _bad_format("SE")
            number = number[2:]
    if luhn.checksum(number) != 0:
        raise _bad_check_digit("SE")
    try:
        se_orgnr.validate(number)
    except StdnumValidationError as exc:
        raise _bad_format("SE") from exc
    return number


def _denmark(value: str) -> str:
    """CVR-nummer: 8 digits whose weighted sum is a multiple of 11, never starting with 0. A "DK" prefix is
    tolerated."""
    return _checked("DK", _digits("DK", _compact("DK", value).removeprefix("DK"), 8), cvr)


def _finland(value: str) -> str:
    """Y-tunnus: 7 digits, a dash and a mod-11 check digit.

    Old numbers with a 6-digit body get a leading zero; the VAT form "FI" + 8 digits is tolerated.
    """
    digits = _checked("FI", _digits("FI", _compact("FI", value).removeprefix("FI"), 7, 8).zfill(8), fi_alv)
    return f"{digits[:7]}-{digits[7]}"


def _iceland(value: str) -> str:
    """Kennitala: 10 digits: a date (an organisation's day plus 40), two digits, a mod-11 check digit over the
    first 8, and the century (9 or 0)."""
    return _checked("IS", _digits("IS", _compact("IS", value), 10), kennitala)


_CHECKERS: dict[str, Callable[[str], str]] = {
    "NO": _norway,
    "SE": _sweden,
    "DK": _denmark,
    "FI": _finland,
    "IS": _iceland,
}


def _unchecked(country: str, value: str) -> str:
    if len(value) > MAX_UNCHECKED_LENGTH or not all(char.isalpha() or char in "0123456789 -." for char in value):
        raise _bad_format(country)
    return value


def normalise(country: str, value: str) -> str:
    """The canonical form of ``value``, an organisation number of ``country`` (ISO 3166 alpha-2, any case).

    Checked countries (``CHECKED_COUNTRIES``) give: NO ``"923609016"``, SE ``"5566778899"`` (10 digits, no
    dash), DK ``"12345678"``, FI ``"1234567-8"``, IS ``"1234567890"``. Whitespace, dots, dashes and the
    national VAT prefixes and suffixes are tolerated in the input. For any other country the input is only
    trimmed and returned as it is, if it has at most ``MAX_UNCHECKED_LENGTH`` letters, digits, spaces, dashes
    and dots.

    Raises ``InvalidOrganisationNumber`` for input that is empty or not such a number, and a plain
    ``ValueError`` when ``country`` is not a two-letter code (a programming error, not the user's).
    """
    code = _country_code(country)
    trimmed = value.strip()
    if not trimmed:
        raise InvalidOrganisationNumber(_l("Please enter the organisation number."), country=code, reason="empty")
    checker = _CHECKERS.get(code)
    if checker is None:
        return _unchecked(code, trimmed)
    return checker(trimmed)


# Company forms left out of a name, compared after casefolding and removing punctuation ("A/S" → "as").
# Municipalities (kommune, kommun, kunta, sveitarfélag) and other public bodies are kept: the word is part
# of what tells "Bergen kommune" from a company called "Bergen".
# fmt: off
_LEGAL_FORM_SUFFIXES = frozenset(
    {
        # Norway
        "as", "asa", "ans", "da", "nuf", "ks", "ba", "sa",
        # Sweden ("AB (publ)")
        "ab", "publ", "hb", "kb",
        # Denmark (A/S, ApS, I/S, IVS, P/S, K/S, A.m.b.a., S.m.b.a.)
        "aps", "is", "ivs", "ps", "amba", "smba",
        # Finland (also "Ab" of Swedish-language names)
        "oy", "oyj", "ky", "ay",
        # Iceland
        "ehf", "hf", "ohf", "sf", "slf", "ses",
        # A few common elsewhere
        "ltd", "limited", "plc", "inc", "llc", "gmbh", "ag", "bv", "nv",
    }
)
# fmt: on
# Finnish and Swedish names often put the form first: "Oy Hartwall Ab", "AB Volvo".
_LEGAL_FORM_PREFIXES = frozenset({"ab", "oy", "oyj"})


def _without_punctuation(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Pd":
        return " "
    return "" if category.startswith("P") else char


def _name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    # Dashes separate words; other punctuation is dropped ("A/S" → "as", "St. Olavs" → "st olavs").
    text = "".join(_without_punctuation(char) for char in text)
    words = text.split()
    while len(words) > 1 and words[-1] in _LEGAL_FORM_SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0] in _LEGAL_FORM_PREFIXES:
        words.pop(0)
    return " ".join(words)


def organisation_key(country: str, number: str | None, name: str) -> str:
    """What identifies an organisation for per-organisation quotas. Never raises.

    With a valid ``number``: ``"NO:923609016"`` (the country code and the canonical number; for a country
    that is not checked, the number upper-cased without spaces, dots and dashes). Otherwise (no number, an
    invalid one, or no usable country code) the name: ``"name:"`` + the name casefolded (Unicode NFKC),
    without punctuation, with whitespace collapsed and company forms (AS, ASA, AB, ApS, A/S, Oy, Oyj, ehf,
    hf…) left out, so that "Acme AS", "ACME A/S" and "Acme" are one organisation, and " bergen  kommune "
    and "BERGEN KOMMUNE." are "Bergen Kommune".
    """
    if number and number.strip():
        try:
            code = _country_code(country)
            canonical = normalise(code, number)
        except ValueError:
            pass
        else:
            if code not in CHECKED_COUNTRIES:
                canonical = _SEPARATORS.sub("", canonical).upper()
            return f"{code}:{canonical}"
    return "name:" + _name_key(name)
