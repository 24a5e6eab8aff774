"""Organisation numbers: each Nordic country's number is checked and written one way; others are kept as typed.

Valid numbers are computed here, with reference checks written independently of the module: every
check digit is found by trying all ten digits against the check written as "the weighted sum of all the
digits, the check digit with weight 1, is a multiple of 11" (or the textbook Luhn sum), rather than by
the module's "11 minus the remainder" arithmetic. The few published numbers are verified the same way.
"""

from __future__ import annotations

import re

import flask_babel
import pytest
from flask import Flask

from eventapp.registrations.orgnumbers import (
    CHECKED_COUNTRIES,
    InvalidOrganisationNumber,
    normalise,
    organisation_key,
)
from tests.registrations.orgnumber_samples import (
    PUBLISHED,
    REFERENCE,
    VALID,
    body_without_a_check_digit,
    completions,
    invalid_reason,
    reference_dk,
    reference_fi,
    reference_is,
    reference_no,
    reference_se,
)


@pytest.fixture
def flask_app() -> Flask:
    flask_app = Flask(__name__)
    flask_babel.Babel(flask_app)
    return flask_app


def message_of(flask_app: Flask, country: str, value: str) -> str:
    with pytest.raises(InvalidOrganisationNumber) as caught:
        normalise(country, value)
    with flask_app.app_context():
        return str(caught.value.message)


# --- The reference checks themselves -----------------------------------------------------------------------


@pytest.mark.parametrize(("country", "number"), PUBLISHED)
def test_published_numbers_pass_the_independent_reference_check(country, number):
    assert REFERENCE[country](number)


def test_reference_checks_refuse_a_changed_check_digit():
    assert not reference_no("974760674")
    assert not reference_se("2021005449")
    assert not reference_dk("10150818")
    assert not reference_fi("0244683-2")
    assert not reference_is("5402696039")


# --- Valid numbers -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("country", "number"), PUBLISHED)
def test_published_numbers_are_accepted_and_already_canonical(country, number):
    assert normalise(country, number) == number


@pytest.mark.parametrize(("country", "number"), VALID)
def test_numbers_with_a_correct_check_digit_are_accepted_in_canonical_form(country, number):
    assert normalise(country, number) == number


@pytest.mark.parametrize(
    ("country", "typed", "canonical"),
    [
        ("NO", "974 760 673", "974760673"),
        ("NO", "974.760.673", "974760673"),
        ("NO", "NO 974 760 673 MVA", "974760673"),
        ("NO", "NO974760673MVA", "974760673"),
        ("NO", "no 974760673 mva", "974760673"),
        ("NO", "974760673 MVA", "974760673"),
        ("NO", "NO 974760673", "974760673"),
        ("NO", "\u00a0974\u00a0760\u00a0673\t", "974760673"),
        ("SE", "202100-5448", "2021005448"),
        ("SE", "2021005448", "2021005448"),
        ("SE", "202100 5448", "2021005448"),
        ("SE", "16202100-5448", "2021005448"),
        ("SE", "162021005448", "2021005448"),
        ("SE", "SE202100544801", "2021005448"),
        ("SE", "SE 202100-5448 01", "2021005448"),
        ("SE", "se2021005448", "2021005448"),
        ("DK", "10 15 08 17", "10150817"),
        ("DK", "10150817", "10150817"),
        ("DK", "DK10150817", "10150817"),
        ("DK", "DK 10 15 08 17", "10150817"),
        ("DK", "dk-10150817", "10150817"),
        ("FI", "0244683-1", "0244683-1"),
        ("FI", "02446831", "0244683-1"),
        ("FI", "244683-1", "0244683-1"),
        ("FI", "FI02446831", "0244683-1"),
        ("FI", "FI 0244683-1", "0244683-1"),
        ("FI", " 0244683 - 1 ", "0244683-1"),
        ("IS", "540269-6029", "5402696029"),
        ("IS", "5402696029", "5402696029"),
        ("IS", "540269 6029", "5402696029"),
    ],
)
def test_tolerated_spellings_give_the_canonical_number(country, typed, canonical):
    assert normalise(country, typed) == canonical


@pytest.mark.parametrize(("country", "number"), VALID[::5])
def test_computed_numbers_are_accepted_with_separators_and_national_prefixes(country, number):
    digits = number.replace("-", "")
    spaced = " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))
    assert normalise(country, spaced) == number
    prefixed = {
        "NO": f"NO {digits} MVA",
        "SE": f"SE{digits}01",
        "DK": f"DK{digits}",
        "FI": f"FI{digits}",
        "IS": f"{digits[:6]}-{digits[6:]}",
    }[country]
    assert normalise(country, prefixed) == number


OLD_FINNISH = [
    n for body in ("123456", "244683", "987654", "555555", "101010", "700001") for n in completions("FI", "0" + body)
]


@pytest.mark.parametrize("number", OLD_FINNISH)
def test_old_finnish_numbers_with_a_six_digit_body_get_a_leading_zero(number):
    assert normalise("FI", number[1:]) == number


@pytest.mark.parametrize("country", ["no", "No", " NO "])
def test_country_codes_are_case_insensitive(country):
    assert normalise(country, "974760673") == "974760673"


def test_swedish_personnummer_of_a_sole_trader_is_accepted_like_an_organisation_number():
    # Third digit below 2 (a month), as in a personnummer; the check digit is computed.
    [number] = completions("SE", "811218987")
    assert normalise("SE", number) == number


# --- Invalid numbers -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("country", "number"), VALID[::3] + PUBLISHED)
def test_every_other_check_digit_is_refused_as_a_check_digit_failure(country, number):
    position = {"FI": 8, "IS": 8}.get(country, len(number) - 1)
    for digit in "0123456789":
        if digit != number[position]:
            wrong = number[:position] + digit + number[position + 1 :]
            assert invalid_reason(country, wrong) == "check_digit", wrong


@pytest.mark.parametrize(("country", "number"), VALID[::4] + PUBLISHED)
def test_a_single_mistyped_digit_is_always_caught(country, number):
    positions = [i for i, char in enumerate(number) if char.isdigit()]
    if country == "IS":
        positions = positions[:9]  # the 10th digit (century) is outside the kennitala's check
    for position in positions:
        for digit in "0123456789":
            if digit != number[position]:
                wrong = number[:position] + digit + number[position + 1 :]
                assert invalid_reason(country, wrong) == "check_digit", wrong


@pytest.mark.parametrize(
    ("country", "number"),
    [
        *[("DK", n) for n in completions("DK", "0458335") + completions("DK", "0736809")],  # CVR: never 0 first
        *[("IS", n) for n in completions("IS", "35029012")],  # day 35: no date, for a person or (41–71) a body
        *[("IS", n) for n in completions("IS", "54136960")],  # month 13
        *[("IS", n[:9] + "8") for n in completions("IS", "54026960")],  # the century digit is 9 or 0
        *[("IS", n[:9] + "1") for n in completions("IS", "54026960")],
    ],
)
def test_numbers_with_a_right_check_digit_that_break_another_national_rule_are_refused_as_a_format_error(
    country, number
):
    """Rules python-stdnum knows beyond the check digit: the weighted sums of these numbers are right."""
    assert REFERENCE[country](number)
    assert invalid_reason(country, number) == "format"


@pytest.mark.parametrize("country", ["NO", "FI", "IS"])
def test_a_body_whose_check_digit_would_be_ten_is_refused_whatever_its_last_digit(country):
    body = body_without_a_check_digit(country)
    for digit in "0123456789":
        typed = {"NO": body + digit, "FI": f"{body}-{digit}", "IS": body + digit + "9"}[country]
        assert invalid_reason(country, typed) == "check_digit", typed


@pytest.mark.parametrize(
    ("country", "typed"),
    [
        ("NO", "97476067"),
        ("NO", "9747606730"),
        ("NO", "97476O673"),  # letter O
        ("NO", "974/760/673"),
        ("NO", "SE 974760673"),
        ("NO", "MVA"),
        ("NO", "974760673" * 10),
        ("SE", "202100-544"),
        ("SE", "20210054481"),
        ("SE", "192021005448"),  # 12 digits need the "16" prefix
        ("SE", "SE20210054480"),
        ("SE", "SE202100544802"),  # the VAT number ends in 01
        ("SE", "2021005448SE"),
        ("DK", "1015081"),
        ("DK", "101508170"),
        ("DK", "DK1015O817"),
        ("DK", "NO10150817"),
        ("FI", "244683"),
        ("FI", "002446831"),
        ("FI", "0244683-X"),
        ("FI", "FI024468312"),
        ("IS", "540269-602"),
        ("IS", "54026960290"),
        ("IS", "IS5402696029"),
    ],
)
def test_wrong_length_or_characters_is_refused_as_a_format_error(country, typed):
    assert invalid_reason(country, typed) == "format"


@pytest.mark.parametrize("country", [*sorted(CHECKED_COUNTRIES), "GB", "de"])
@pytest.mark.parametrize("typed", ["", "   ", "\t\n"])
def test_empty_input_is_refused(country, typed):
    assert invalid_reason(country, typed) == "empty"


@pytest.mark.parametrize("country", ["", "N", "NOR", "1A", "N0", "Ø1"])
def test_a_country_that_is_not_a_two_letter_code_is_a_programming_error_not_an_invalid_number(country):
    with pytest.raises(ValueError, match="country code") as caught:
        normalise(country, "974760673")
    assert not isinstance(caught.value, InvalidOrganisationNumber)


# --- Other countries -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "typed", "kept"),
    [
        ("GB", "  01234567 ", "01234567"),
        ("DE", "HRB 12345", "HRB 12345"),
        ("nl", "NL123456789B01", "NL123456789B01"),
        ("FR", "552 100 554", "552 100 554"),
        ("EE", "10.137.319", "10.137.319"),
        ("US", "12-3456789", "12-3456789"),
        ("GB", "X" * 40, "X" * 40),
        ("DE", "Ünïcødé 1", "Ünïcødé 1"),
        ("GB", "974760674", "974760674"),  # a wrong Norwegian check digit means nothing elsewhere
    ],
)
def test_numbers_of_other_countries_are_not_checked_only_trimmed(country, typed, kept):
    assert country.upper() not in CHECKED_COUNTRIES
    assert normalise(country, typed) == kept


@pytest.mark.parametrize("typed", ["X" * 41, "12/345/67890", "123_456", "A+B", "12\t34", "<script>", "123,456"])
def test_numbers_of_other_countries_with_more_than_40_characters_or_odd_ones_are_refused(typed):
    assert invalid_reason("GB", typed) == "format"


# --- Messages ------------------------------------------------------------------------------------------------


def test_norwegian_number_with_wrong_check_digit_is_refused_with_a_message(flask_app):
    assert message_of(flask_app, "NO", "974760674") == (
        "This is not a valid Norwegian organisation number: please check the digits."
    )


def test_norwegian_number_with_wrong_length_is_refused_with_a_message_giving_the_format(flask_app):
    assert (
        message_of(flask_app, "NO", "97476067") == "A Norwegian organisation number has 9 digits, such as 923 609 016."
    )


@pytest.mark.parametrize(
    ("country", "wrong_length", "wrong_check_digit", "names"),
    [
        ("NO", "12345", "974760674", ("Norwegian", "9 digits")),
        ("SE", "12345", "2021005449", ("Swedish", "10 digits")),
        ("DK", "12345", "10150818", ("Danish", "CVR", "8 digits")),
        ("FI", "12345", "0244683-2", ("Finnish", "Y-tunnus", "7 digits")),
        ("IS", "12345", "5402696039", ("Icelandic", "kennitala", "10 digits")),
    ],
)
def test_messages_name_the_national_format_and_tell_wrong_length_from_a_wrong_check_digit(
    flask_app, country, wrong_length, wrong_check_digit, names
):
    length_message = message_of(flask_app, country, wrong_length)
    check_message = message_of(flask_app, country, wrong_check_digit)

    assert length_message != check_message
    for word in names:
        assert word in length_message
    assert names[0] in check_message
    assert "check the digits" in check_message
    assert "such as" in length_message
    assert "such as" not in check_message


def test_each_country_has_its_own_messages(flask_app):
    length_messages = {message_of(flask_app, country, "12345") for country in CHECKED_COUNTRIES}
    assert len(length_messages) == len(CHECKED_COUNTRIES)


@pytest.mark.parametrize("country", sorted(CHECKED_COUNTRIES))
def test_the_example_in_each_format_message_is_itself_a_valid_number(flask_app, country):
    example = re.search(r"such as (.+)\.$", message_of(flask_app, country, "12345")).group(1)
    assert REFERENCE[country](normalise(country, example))


def test_other_countries_are_told_the_length_limit_and_the_allowed_characters(flask_app):
    message = message_of(flask_app, "GB", "X" * 41)
    assert message == (
        "An organisation number can have at most 40 characters: letters, digits, spaces, dashes and dots."
    )


def test_empty_input_gets_its_own_message(flask_app):
    assert message_of(flask_app, "NO", " ") == "Please enter the organisation number."


def test_messages_are_lazy_translations_made_without_an_app_context():
    with pytest.raises(InvalidOrganisationNumber) as caught:
        normalise("NO", "974760674")
    assert isinstance(caught.value.message, flask_babel.LazyString)


def test_the_refused_number_is_not_kept_in_the_exception(flask_app):
    personnummer = "8112189875"  # a sole trader's number is personal data (this one mistyped)
    assert not reference_se(personnummer)
    with pytest.raises(InvalidOrganisationNumber) as caught:
        normalise("SE", personnummer)
    with flask_app.app_context():
        assert personnummer not in str(caught.value)
        assert personnummer not in repr(caught.value.args)


# --- organisation_key ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "typed", "key"),
    [
        ("NO", "NO 974 760 673 MVA", "NO:974760673"),
        ("no", "974760673", "NO:974760673"),
        ("SE", "16202100-5448", "SE:2021005448"),
        ("DK", "DK 10 15 08 17", "DK:10150817"),
        ("FI", "244683-1", "FI:0244683-1"),
        ("IS", "540269-6029", "IS:5402696029"),
    ],
)
def test_a_valid_number_identifies_the_organisation_by_country_and_canonical_number(country, typed, key):
    assert organisation_key(country, typed, "Whatever Name AS") == key


def test_the_name_does_not_matter_when_the_number_is_valid():
    assert organisation_key("NO", "974760673", "Brønnøysundregistrene") == organisation_key(
        "NO", "974 760 673", "Registerenheten i Brønnøysund"
    )


def test_the_same_digits_in_different_countries_are_different_organisations():
    [number] = completions("NO", "97476067")
    assert REFERENCE["NO"](number)
    assert organisation_key("NO", number, "Acme") != organisation_key("GB", number, "Acme")


@pytest.mark.parametrize("number", [None, "", "   ", "974760674", "12345", "NO 974760673 XYZ"])
def test_without_a_valid_number_the_organisation_is_known_by_its_name(number):
    assert organisation_key("NO", number, "Bergen Kommune") == "name:bergen kommune"


@pytest.mark.parametrize(
    "names",
    [
        ("Bergen Kommune", " bergen  kommune ", "BERGEN KOMMUNE.", "Bergen\tkommune", "Bergen kommune,"),
        ("Acme AS", "ACME A/S", "Acme", "acme asa", "Acme ApS", "Acme AB", "Acme Oy", "Acme Oyj", "Acme ehf."),
        ("Acme hf", "ACME A.S.", "Acme AB (publ)", "Oy Acme Ab", "AB Acme"),
        ("Göteborgs Stad", "GÖTEBORGS STAD", "Go\u0308teborgs stad"),  # composed and decomposed ö
        ("Straße AS", "STRASSE AS"),  # casefolding
        ("ＡＣＭＥ", "Acme"),  # NFKC: full-width letters
        ("St. Olavs hospital HF", "St Olavs Hospital"),
        ("Helsingin kaupunki", "helsingin  kaupunki"),
    ],
)
def test_spellings_of_one_name_give_one_organisation(names):
    keys = {organisation_key("NO", None, name) for name in names}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bergen kommune", "Bergen AS"),  # the municipality is not a company called Bergen
        ("Bergen kommune", "Bergen"),
        ("Göteborgs kommun", "Göteborg AB"),
        ("Espoon kunta", "Espoo Oy"),
        ("Tromsø AS", "Tromso AS"),  # ø is a letter of its own
        ("Acme AS", "Acme Nordic AS"),
        ("Acme Group", "AcmeGroup"),
    ],
)
def test_different_names_give_different_organisations(one, other):
    assert organisation_key("NO", None, one) != organisation_key("NO", None, other)


@pytest.mark.parametrize(("name", "key"), [("AS", "name:as"), ("Oy Ab", "name:oy"), ("A/S", "name:as")])
def test_a_name_that_is_only_a_legal_form_is_kept(name, key):
    assert organisation_key("DK", None, name) == key


@pytest.mark.parametrize(
    ("country", "number"),
    [("", "974760673"), ("NOR", "974760673"), ("1", "x"), ("NO", "\x00"), ("NO", "9" * 10_000), ("GB", "a/b")],
)
def test_organisation_key_never_raises_and_falls_back_to_the_name(country, number):
    assert organisation_key(country, number, "Acme AS") == "name:acme"


@pytest.mark.parametrize(("typed", "key"), [("gb 123-45.6", "GB:GB123456"), ("HRB 12345", "GB:HRB12345")])
def test_numbers_of_other_countries_are_compared_without_case_or_separators(typed, key):
    assert organisation_key("gb", typed, "Acme Ltd") == key
    assert organisation_key("GB", key.removeprefix("GB:"), "Something else") == key
