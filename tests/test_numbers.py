from decimal import Decimal

import pytest

from socialstudy.errors import NumberFormatError
from socialstudy.extract.numbers import format_decimal, looks_numeric, parse_number


@pytest.mark.parametrize("raw, value, percent", [
    ("1 243,4", "1243.4", False),
    ("<b>-1 243,4</b>", "-1243.4", False),
    ("-902.6", "-902.6", False),
    ("43 %", "43", True),
    ("10,3 %", "10.3", True),
    ("6,1%", "6.1", True),
    ("● -35.5", "-35.5", False),
    ("2 174 *", "2174", False),
    ("0,0*", "0", False),
    ("0**", "0", False),
    ("+0,57", "0.57", False),
    ("– 12", "-12", False),
    ("−3,5", "-3.5", False),
    ("-0", "0", False),
    ("49,3% <sup>3</sup>", "49.3", True),
    ("10 337", "10337", False),
])
def test_swedish_forms_parse(raw, value, percent):
    parsed = parse_number(raw)
    assert format_decimal(parsed.value) == value
    assert parsed.percent is percent


def test_footnotes_are_kept_apart_from_the_value():
    assert parse_number("2 174 *").footnote == "*"
    assert parse_number("49,3% <sup>3</sup>").footnote == "3"


@pytest.mark.parametrize("raw, reason", [
    ("1 1", "groups of three"),
    ("<sup>1</sup>", "footnote mark only"),
    ("-", "dash"),
    ("1,2,3", "decimal mark"),
    ("1.234,5", "decimal mark"),
    ("62%/43%", "two numbers"),
    ("74% (69%)", "two numbers"),
    ("2023-05-22", "date"),
    ("1.234", "ambiguous dot"),
])
def test_non_numbers_are_rejected_with_a_reason(raw, reason):
    with pytest.raises(NumberFormatError, match=reason):
        parse_number(raw)


def test_numeric_looking_separates_headers_from_values():
    assert looks_numeric("1 1") and looks_numeric("-") and looks_numeric("<sup>2</sup>")
    assert not looks_numeric("Mål 2026") and not looks_numeric("Utfall 2024")
    assert not looks_numeric("Verksamheten har inget HSL ansvar")


def test_format_decimal_is_plain():
    assert format_decimal(Decimal("1243.4") * 1000) == "1243400"
    assert format_decimal(Decimal("-0.0")) == "0"


@pytest.mark.parametrize("raw, value, percent, unit", [
    ("-74,0 mnkr", "-74", False, "mnkr"),
    ("12 procent", "12", True, ""),
    ("1 243,4 tkr", "1243.4", False, "tkr"),
    ("350 kr", "350", False, "sek"),
    ("3,5 mkr", "3.5", False, "mkr"),
])
def test_a_unit_word_after_the_number_is_kept(raw, value, percent, unit):
    parsed = parse_number(raw)
    assert looks_numeric(raw)
    assert (format_decimal(parsed.value), parsed.percent, parsed.unit) == (value, percent, unit)


@pytest.mark.parametrize("raw", ["12 procent av budget", "mnkr", "Mål 2026"])
def test_words_beyond_a_unit_are_not_numbers(raw):
    assert not looks_numeric(raw)
