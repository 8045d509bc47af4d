"""Numbers typed the Danish way: 85,3 and 1.051.042 are read exactly; "85.3" is refused."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from kraeftplan.fields import (
    IntegerFormField,
    NumberFormField,
    OtherNotation,
    YearFormField,
    read_number,
)


@pytest.fixture(autouse=True)
def danish():
    with translation.override("da"):
        yield


def value_field(**kwargs):
    """Like targets.Measurement.value: two decimals, fourteen digits, negative allowed."""
    return NumberFormField(decimal_places=2, max_digits=14, **kwargs)


def refusal(field, text):
    with pytest.raises(forms.ValidationError) as caught:
        field.clean(text)
    return caught.value.messages


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("85,3", "85.3"),
        ("1.051.042", "1051042"),
        ("1.051.042,5", "1051042.5"),
        (" 85,3 ", "85.3"),
        ("85,30", "85.3"),
        ("0,05", "0.05"),
        ("-4,2", "-4.2"),
        ("1.000", "1000"),
        ("1\u00a0051\u00a0042", "1051042"),
    ],
)
def test_danish_numbers_are_read_exactly(typed, expected):
    value = value_field().clean(typed)
    assert isinstance(value, Decimal) and value == Decimal(expected)


@pytest.mark.parametrize("typed", ["85.3", "0.75", "1,051,042", "1,051,042.5"])
def test_a_number_only_the_english_notation_reads_is_refused_with_the_danish_way(typed):
    assert refusal(value_field(), typed) == [
        "Brug komma som decimaltegn og punktum mellem tusinder, fx 85,3 eller 1.051.042."
    ]


@pytest.mark.parametrize("typed", ["1.05.1", "1..5", "85,3,1", "abc", "12a", "+5", "1e3"])
def test_what_is_no_number_at_all_is_refused(typed):
    assert refusal(value_field(), typed) == ["Skriv et tal med cifre, fx 85,3."]


def test_decimals_and_digits_are_held_to_the_model_field():
    assert refusal(value_field(), "85,333") == ["Tallet må højst have 2 decimaler."]
    share = NumberFormField(decimal_places=1, max_digits=5)
    assert refusal(share, "22,75") == ["Tallet må højst have 1 decimal."]
    assert refusal(share, "10.000") == ["Tallet er for stort."]
    assert share.clean("9.999,9") == Decimal("9999.9")


def test_negatives_only_where_the_model_allows_them():
    assert value_field().clean("-1") == Decimal(-1)
    assert refusal(value_field(min_value=0), "-1") == ["Tallet kan ikke være negativt."]


def test_whole_numbers_are_ints_and_refuse_decimals():
    field = IntegerFormField(min_value=0)
    assert field.clean("1.051.042") == 1051042 and isinstance(field.clean("3"), int)
    for typed in ["3,5", "3.5", "tre"]:
        assert refusal(field, typed) == ["Skriv et helt tal med cifre, fx 12."]
    assert not IntegerFormField(required=False).clean("")


def test_a_year_is_four_digits_and_nothing_else():
    field = YearFormField(min_value=1990)
    assert field.clean(" 2024 ") == 2024
    for typed in ["2.024", "24", "2024,0", "tyve"]:
        assert refusal(field, typed) == ["Skriv årstallet med fire cifre, fx 2024."]
    assert refusal(field, "1980") == ["Denne værdi skal være større end eller lig 1990."]


def test_the_inputs_are_text_with_a_phone_keyboard_and_show_the_danish_way():
    decimal = value_field().widget.render("v", Decimal("1051042.50"))
    assert 'type="text"' in decimal and 'inputmode="decimal"' in decimal
    assert 'value="1.051.042,5"' in decimal
    whole = IntegerFormField(min_value=0).widget.render("n", 1051042)
    assert 'inputmode="numeric"' in whole and 'value="1.051.042"' in whole
    year = YearFormField(min_value=1990).widget.render("y", 2024)
    assert 'type="text"' in year and 'inputmode="numeric"' in year and 'value="2024"' in year


def test_an_unchanged_value_is_not_a_change():
    field = value_field()
    assert not field.has_changed(Decimal("85.30"), "85,3")
    assert field.has_changed(Decimal("85.30"), "85,4")


def test_english_reads_the_english_way():
    with translation.override("en"):
        assert value_field().clean("1,051,042.5") == Decimal("1051042.5")
        assert refusal(value_field(), "85,3") == [
            "Use a point as decimal separator and a comma between thousands, "
            "e.g. 85.3 or 1,051,042."
        ]
        assert 'value="85.3"' in value_field().widget.render("v", Decimal("85.3"))


def test_read_number_tells_the_other_notation_from_no_number():
    assert read_number("85,3") == Decimal("85.3")
    with pytest.raises(OtherNotation):
        read_number("85.3")
    with pytest.raises(ValueError) as caught:
        read_number("1.05.1")
    assert not isinstance(caught.value, OtherNotation)
