"""Organisation numbers for the tests, computed with reference checks written independently of the module
(see test_orgnumbers.py): every check digit is found by trying all ten digits against the check written as
"the weighted sum of all the digits, the check digit with weight 1, is a multiple of 11" (or the textbook
Luhn sum); the few published numbers are verified the same way."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

import pytest

from eventapp.registrations.orgnumbers import CHECKED_COUNTRIES, InvalidOrganisationNumber, normalise

# --- Reference checks, written from the national definitions ------------------------------------------------


def weighted_sum_is_multiple_of_11(digits: str, weights: tuple[int, ...]) -> bool:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def reference_no(number: str) -> bool:
    """Brønnøysund: weights 3 2 7 6 5 4 3 2 and 1 for the check digit; the sum is a multiple of 11."""
    return len(number) == 9 and number.isdigit() and weighted_sum_is_multiple_of_11(number, (3, 2, 7, 6, 5, 4, 3, 2, 1))


def reference_se(number: str) -> bool:
    """Luhn: double every other digit starting with the first of ten, add up the digits of all the products."""
    if len(number) != 10 or not number.isdigit():
        return False
    products = "".join(str(int(d) * (2 if i % 2 == 0 else 1)) for i, d in enumerate(number))
    return sum(int(d) for d in products) % 10 == 0


def reference_dk(number: str) -> bool:
    return len(number) == 8 and number.isdigit() and weighted_sum_is_multiple_of_11(number, (2, 7, 6, 5, 4, 3, 2, 1))


def reference_fi(number: str) -> bool:
    """Y-tunnus "NNNNNNN-C": weights 7 9 10 5 8 4 2 and 1 for the check digit; the sum is a multiple of 11."""
    return bool(re.fullmatch(r"[0-9]{7}-[0-9]", number)) and weighted_sum_is_multiple_of_11(
        number.replace("-", ""), (7, 9, 10, 5, 8, 4, 2, 1)
    )


def reference_is(number: str) -> bool:
    """Kennitala: the first nine digits, weights 3 2 7 6 5 4 3 2 and 1 for the 9th; the 10th is not checked."""
    return (
        len(number) == 10
        and number.isdigit()
        and weighted_sum_is_multiple_of_11(number[:9], (3, 2, 7, 6, 5, 4, 3, 2, 1))
    )


REFERENCE: dict[str, Callable[[str], bool]] = {
    "NO": reference_no,
    "SE": reference_se,
    "DK": reference_dk,
    "FI": reference_fi,
    "IS": reference_is,
}


def completions(country: str, body: str) -> list[str]:
    """Every canonical number made of ``body`` and one more digit (and, for Iceland, the century digit 9)
    that the reference check accepts: one, or none where the check digit would have to be 10."""
    numbers = {
        "NO": [body + d for d in "0123456789"],
        "SE": [body + d for d in "0123456789"],
        "DK": [body + d for d in "0123456789"],
        "FI": [f"{body}-{d}" for d in "0123456789"],
        "IS": [body + d + "9" for d in "0123456789"],
    }[country]
    return [n for n in numbers if REFERENCE[country](n)]


BODY_LENGTH = {"NO": 8, "SE": 9, "DK": 7, "FI": 7, "IS": 8}


def computed_numbers(country: str, how_many: int, seed: int = 2024) -> Iterator[str]:
    rng = random.Random(f"{seed}-{country}")
    found = 0
    while found < how_many:
        body = "".join(rng.choice("0123456789") for _ in range(BODY_LENGTH[country]))
        if country == "NO":
            body = rng.choice("89") + body[1:]  # Norwegian organisation numbers start with 8 or 9
        if country == "DK":
            body = rng.choice("123456789") + body[1:]  # a CVR number never starts with 0
        if country == "IS":  # an organisation's kennitala starts with the date it was registered, day plus 40
            body = f"{rng.randint(41, 68):02d}{rng.randint(1, 12):02d}" + body[4:]
        for number in completions(country, body):
            found += 1
            yield number


def body_without_a_check_digit(country: str) -> str:
    """A body that no check digit completes (the mod-11 remainder asks for 10)."""
    rng = random.Random(f"no-check-digit-{country}")
    while True:
        body = "".join(rng.choice("0123456789") for _ in range(BODY_LENGTH[country]))
        if not completions(country, body):
            return body


VALID = [(country, number) for country in sorted(CHECKED_COUNTRIES) for number in computed_numbers(country, 25)]

# Numbers published as organisations' own: each is verified against the reference check below.
PUBLISHED = [
    ("NO", "974760673"),  # Brønnøysundregistrene
    ("NO", "923609016"),  # the example in the Norwegian message
    ("SE", "2021005448"),  # Skatteverket, 202100-5448
    ("DK", "10150817"),  # the widely quoted example CVR number
    ("FI", "0244683-1"),  # Patentti- ja rekisterihallitus (PRH)
    ("IS", "5402696029"),  # Skatturinn, 540269-6029
]


def invalid_reason(country: str, value: str) -> str:
    with pytest.raises(InvalidOrganisationNumber) as caught:
        normalise(country, value)
    assert caught.value.country == country.upper()
    return caught.value.reason
