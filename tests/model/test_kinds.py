from datetime import datetime

import pytest

from workbench.model.kinds import (
    Kind,
    ParseError,
    identity_key,
    normalise_email,
    normalise_phone,
    normalise_url,
    normalise_username,
    parse_coordinates,
    parse_datetime,
    parse_flag,
    parse_number,
    parse_value,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1.33E+07", 13_300_000.0), ("$25,000", 25000), ("12 %", 12), ("(450)", -450),
     ("3.5", 3.5), (7, 7), ("€1.234,5".replace(".", "").replace(",", "."), 1234.5)],
)
def test_numbers_from_messy_cells(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["<5", ">100", "~20", "", "many", float("nan"), True])
def test_bounds_and_words_are_not_numbers(raw):
    with pytest.raises(ParseError):
        parse_number(raw)


def test_phone_numbers_normalise_to_e164_with_default_region():
    assert normalise_phone("07700 900123", "GB") == "+447700900123"
    assert normalise_phone("+44 (0)7700-900123") == "+447700900123"
    assert normalise_phone("0044 7700 900123") == "+447700900123"
    assert normalise_phone("0803 123 4567", "NG") == "+2348031234567"
    with pytest.raises(ParseError):
        normalise_phone("call me")


def test_email_username_url():
    assert normalise_email(" Ana.Silva@Example.ORG ") == "ana.silva@example.org"
    assert normalise_email("mailto:X@y.com") == "x@y.com"
    with pytest.raises(ParseError):
        normalise_email("not an email")
    assert normalise_username("@MaxPayne") == "maxpayne"
    assert normalise_username("Straße") == "strasse"
    assert normalise_url("Example.com/Path") == "http://example.com/Path"


def test_dates_flags_coordinates():
    assert parse_datetime("20080612 1402", ["%Y%m%d %H%M"]) == datetime(2008, 6, 12, 14, 2)
    assert parse_datetime("2016") == datetime(2016, 1, 1)
    with pytest.raises(ParseError, match="none of the date formats"):
        parse_datetime("12/31/2016", ["%d/%m/%Y"])
    assert parse_flag("Yes") is True and parse_flag("0") is False
    assert parse_coordinates("9.08, 7.49") == (9.08, 7.49)
    with pytest.raises(ParseError, match="outside"):
        parse_coordinates("191, 7")


def test_identity_keys_fold_case_and_spacing_but_keep_accents():
    assert identity_key(Kind.TEXT, "  José   DA Silva ") == "josé da silva"
    assert identity_key(Kind.TEXT, "Jose da Silva") != identity_key(Kind.TEXT, "José da Silva")
    assert identity_key(Kind.PHONE, "07700 900123") == "+447700900123"


def test_display_of_values():
    assert parse_value("number", "25000").display() == "25,000"
    assert parse_value("flag", "y").display() == "yes"
    assert parse_value("coordinates", "1,2").display() == "1.00000, 2.00000"
