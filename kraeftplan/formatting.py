"""Small pure helpers that show numbers the way the active language writes them.

Danish: 1.051.042 · 0,6 · 22,7 %. English: 1,051,042 · 0.6 · 22.7 %.
"""

import re
from decimal import Decimal
from typing import cast

from django.utils.formats import number_format

NBSP = "\u00a0"


def format_number(value: Decimal | float | None, decimals: int | None = None) -> str:
    """A number with thousands grouping; `decimals=None` keeps the decimals it has."""
    if value is None:
        return ""
    if decimals is None and isinstance(value, Decimal):
        value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
        # Amounts and figures are finite: the exponent is a number, never "n", "N" or "F".
        decimals = max(0, -cast(int, value.as_tuple().exponent))
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_money(value: Decimal | float | str | None) -> str:
    """An amount in mio. kr. as published: whole numbers bare (22), else one decimal (0,6)."""
    if value is None:
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return format_number(value, 0)
    return format_number(value, 1)


def format_percent(value: Decimal | float | None, decimals: int | None = None) -> str:
    if value is None:
        return ""
    return f"{format_number(value, decimals)}{NBSP}%"


# A plain number or one with correct thousands groups, per decimal separator.
_NUMBER_PATTERNS = {
    ",": re.compile(r"^-?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$"),
    ".": re.compile(r"^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$"),
}


def plain_decimal(value: Decimal) -> str:
    """An exact decimal for machines: 4, 0.6, 1100 (no trailing zeros, never an exponent)."""
    if value == value.to_integral():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")


def ascii_slug(text: str) -> str:
    """A file-name slug that keeps Danish letters readable: "Økonomi i år" → "oekonomi-i-aar"."""
    from django.utils.text import slugify

    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})
    return slugify(text.translate(table))


def parse_decimal(text: str, decimal_separator: str = ",") -> Decimal:
    """Read a number written with the given decimal separator: "1.100" and "0,6" in Danish.

    Raises ValueError for anything else, including "0.6" in Danish, which would be ambiguous.
    """
    cleaned = str(text).strip().replace(" ", "").replace(NBSP, "")
    if not _NUMBER_PATTERNS[decimal_separator].match(cleaned):
        raise ValueError(f"Not a number in this notation: {text!r}")
    thousands = "." if decimal_separator == "," else ","
    return Decimal(cleaned.replace(thousands, "").replace(decimal_separator, "."))
