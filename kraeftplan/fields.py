"""Money fields: exact decimals in mio. kr. that Danish users can type the Danish way."""

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, TypeVar, cast

from django import forms
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kraeftplan.formatting import format_number, parse_decimal


def _decimal_separator() -> str:
    return "." if (get_language() or "da").startswith("en") else ","


def parse_amount(text: str) -> Decimal:
    """Parse an amount typed in the active language; raise ValidationError with a clear message."""
    separator = _decimal_separator()
    try:
        return parse_decimal(text, separator)
    except ValueError:
        cleaned = str(text).strip()
        if separator == "," and re.match(r"^-?\d+\.\d{1,2}$", cleaned):
            raise forms.ValidationError(
                _("Use a comma as decimal separator, e.g. 0,6 or 115,1."), code="separator"
            ) from None
        raise forms.ValidationError(
            _("Enter an amount in mio. kr. using digits only, e.g. %(example)s.")
            % {"example": "0,6" if separator == "," else "0.6"},
            code="invalid",
        ) from None


class AmountInput(forms.TextInput):
    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> Any:
        if isinstance(value, Decimal):
            return format_number(value)
        return super().format_value(value)


class AmountFormField(forms.Field):
    widget = AmountInput

    def __init__(self, *, decimal_places: int = 1, max_digits: int = 10, **kwargs: Any) -> None:
        kwargs.pop("localize", None)
        for unused in ("min_value", "max_value", "step_size"):
            kwargs.pop(unused, None)
        self.decimal_places = decimal_places
        self.max_digits = max_digits
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        amount = parse_amount(str(value))
        if amount < 0:
            raise forms.ValidationError(_("The amount cannot be negative."), code="negative")
        # A parsed amount is finite, so its exponent is a number (not "n", "N" or "F").
        if -cast(int, amount.as_tuple().exponent) > self.decimal_places:
            raise forms.ValidationError(
                _("The amount can have at most one decimal."), code="decimals"
            )
        digits_before = len(amount.quantize(Decimal(1)).as_tuple().digits)
        if digits_before > self.max_digits - self.decimal_places:
            raise forms.ValidationError(_("The amount is too large."), code="too_large")
        return amount


# The field's set and get types; django-stubs fills them in (with None where null=True).
_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)


class MoneyField(models.DecimalField[_ST, _GT]):
    """An amount in mio. kr. with one decimal; never negative; a float never gets near it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 10)
        kwargs.setdefault("decimal_places", 1)
        super().__init__(*args, **kwargs)

    @property
    def validators(self) -> list[Callable[[Any], None]]:
        return [*super().validators, MinValueValidator(Decimal(0))]

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, _path, args, kwargs = super().deconstruct()
        return name, "kraeftplan.fields.MoneyField", args, kwargs

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super(models.DecimalField, self).formfield(
            form_class=AmountFormField,
            decimal_places=self.decimal_places,
            max_digits=self.max_digits,
            **kwargs,
        )
