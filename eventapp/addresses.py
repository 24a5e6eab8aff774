"""Email addresses: one rule for every form and service that takes one.

The syntax is checked by ``email-validator`` (a maintained library made for the job) without DNS
look-ups. On top of it, decided for this service:

- **Invisible and formatting characters are refused with their own message**: zero-width spaces and
  joiners, the soft hyphen, bidirectional controls, byte-order marks and every control character
  (Unicode categories Cc, Cf, Cs, Co, Cn, Zl, Zp). Otherwise ``same<U+200B>@example.org`` would be a
  second address that looks exactly like ``same@example.org``.
- **The part before the @ must be ASCII.** Sending to ``ø@example.org`` needs the SMTPUTF8 extension,
  which a relay may lack; such a mail would sit in the outbox failing forever. People get a message
  instead, at the form.
- **Internationalised domains are accepted and stored in their ASCII (punycode) form**, so that
  ``a@bæ.no`` and ``a@xn--b-4fa.no`` are one address and every SMTP server can take it.
- **The whole address is lower-cased**, as eventapp has always stored it: one registration per address
  and event is held by a unique index on this form, and sign-in and "lost your link" look it up the
  same way. (No known Nordic public-sector mail system has case-sensitive mailboxes.)
"""

from __future__ import annotations

import unicodedata
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from wtforms import Field, ValidationError

MAX_LENGTH = 254
#: Unicode categories of characters nobody sees: control, format (zero-width, soft hyphen, bidi),
#: surrogate, private use, unassigned, line and paragraph separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


class InvalidEmailAddress(ValueError):
    """An address eventapp cannot use; ``message`` says why, in the reader's language."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def has_invisible_characters(value: str) -> bool:
    return any(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in value)


def normalise_email(raw: str) -> str:
    """The one stored form of an address (see the module's decisions). Raises InvalidEmailAddress."""
    value = (raw or "").strip()
    if has_invisible_characters(value):
        raise InvalidEmailAddress(
            _l("The email address contains an invisible or formatting character (for example a zero-width space). "
               "Please type the address again by hand.")
        )  # fmt: skip
    local, _at, _domain = value.rpartition("@")
    if local and not local.isascii():
        raise InvalidEmailAddress(
            _l("Please use an address with only the letters a–z, digits and . _ - + before the @ sign. "
               "Mail to other addresses cannot be delivered reliably.")
        )  # fmt: skip
    try:
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise InvalidEmailAddress(_l("Please enter an email address such as name@example.org.")) from exc
    address = (checked.ascii_email or checked.normalized).lower()
    if len(address) > MAX_LENGTH:
        raise InvalidEmailAddress(_l("Please enter an email address such as name@example.org."))
    return address


def lookup_form(raw: str) -> str:
    """The stored form of ``raw`` for looking an address up; an unusable address gives a form that
    matches nothing (never raises)."""
    try:
        return normalise_email(raw)
    except InvalidEmailAddress:
        return (raw or "").strip().lower()


def valid_email(_form: Any, field: Field) -> None:
    """WTForms validator for every email field: refuses unusable addresses with a message a person
    understands, and puts the normalised address into ``field.data`` for the view to hand on."""
    if not field.data:
        return
    try:
        field.data = normalise_email(str(field.data))
    except InvalidEmailAddress as exc:
        raise ValidationError(exc.message) from exc
