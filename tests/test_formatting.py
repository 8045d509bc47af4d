"""Danish numbers, money and percentages; parsing amounts typed the Danish way."""

from decimal import Decimal

import pytest
from django.utils import translation

from kraeftplan.formatting import format_money, format_number, format_percent, parse_decimal


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1051042, None, "1.051.042"),
        (Decimal("812746"), None, "812.746"),
        (Decimal("22.7"), None, "22,7"),
        (Decimal("1100.0"), None, "1.100"),
        (Decimal("0.60"), None, "0,6"),
        (Decimal("10.4"), 1, "10,4"),
    ],
)
def test_numbers_are_written_the_danish_way(value, decimals, expected):
    with translation.override("da"):
        assert format_number(value, decimals) == expected


def test_money_is_bare_when_whole_and_has_one_decimal_otherwise():
    with translation.override("da"):
        assert [format_money(Decimal(v)) for v in ("22", "0.6", "115.1", "1473.5", "1100")] == [
            "22",
            "0,6",
            "115,1",
            "1.473,5",
            "1.100",
        ]
        assert format_money(None) == ""


def test_percent_uses_a_non_breaking_space():
    with translation.override("da"):
        assert format_percent(Decimal("22.7")) == "22,7\u00a0%"


def test_english_uses_english_separators():
    with translation.override("en"):
        assert format_number(1051042) == "1,051,042"
        assert format_money(Decimal("0.6")) == "0.6"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0,6", "0.6"), ("1.100", "1100"), ("1.100,5", "1100.5"), (" 27 ", "27"), ("115,1", "115.1")],
)
def test_danish_decimals_parse_exactly(text, expected):
    assert parse_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["0.6", "1.5", "abc", "1,2,3", "", "12a"])
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError):
        parse_decimal(text)
