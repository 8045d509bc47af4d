"""Numbers typed the way the active language writes them, and money in mio. kr.

A browser's <input type="number"> drops the comma of "85,3" and sends 853, so no number here is
typed into one: a number is a text input read in the active language's notation (Danish: 85,3 ·
1.051.042), and what that notation cannot read for certain ("85.3": a decimal point, or a
thousands separator in the wrong place?) is refused with a message saying how to write it.
"""

import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeVar

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from kraeftplan.formatting import format_number, parse_decimal

# The model fields whose form fields are numbers typed by hand.
NUMBER_MODEL_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)


def decimal_separator() -> str:
    return "." if (get_language() or "da").startswith("en") else ","


class OtherNotation(ValueError):
    """The text is a number in the other language's notation, not in the active one's."""


def read_number(text: str) -> Decimal:
    """Read a number written in the active language: "85,3" and "1.051.042" in Danish.

    Raises OtherNotation where only the other notation reads it ("85.3" in Danish), and
    ValueError for anything else.
    """
    separator = decimal_separator()
    try:
        return parse_decimal(text, separator)
    except ValueError:
        try:
            parse_decimal(text, "." if separator == "," else ",")
        except ValueError:
            raise ValueError(f"Not a number: {text!r}") from None
        raise OtherNotation(f"Not a number in this notation: {text!r}") from None


def decimal_places(value: Decimal) -> int:
    """The decimals a number needs: 85.30 has one, 1100 none."""
    digits, exponent = value.as_tuple().digits, value.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    while places and digits and digits[-1] == 0:
        digits, places = digits[:-1], places - 1
    return places


def integer_digits(value: Decimal) -> int:
    """The digits before the decimal separator: 0 for 0,6, 4 for 1100."""
    return 0 if abs(value) < 1 else value.adjusted() + 1


class NumberTextInput(forms.TextInput):
    """A text input that shows a number the active language's way: 85,3 · 1.051.042.

    The field says which keyboard a phone shows (inputmode "decimal" or "numeric").
    """

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})

    def format_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | float) or (
            isinstance(value, int) and not isinstance(value, bool)
        ):
            return format_number(value)
        return super().format_value(value)


class NumberFormField(forms.Field):
    """A number typed the active language's way, with at most `decimal_places` decimals and
    `max_digits` digits in all; negative only if `min_value` allows it."""

    widget: type[forms.Widget] = NumberTextInput
    example = Decimal("85.3")  # in the messages, written the active language's way
    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": _("Enter a number with digits, e.g. %(example)s."),
        # Chosen by the active decimal separator; the code is "separator" for both.
        "comma": _(
            "Use a comma as decimal separator and a point between thousands, "
            "e.g. %(example)s or %(large)s."
        ),
        "point": _(
            "Use a point as decimal separator and a comma between thousands, "
            "e.g. %(example)s or %(large)s."
        ),
        "negative": _("The number cannot be negative."),
        "decimals": ngettext_lazy(
            "The number can have at most %(places)d decimal.",
            "The number can have at most %(places)d decimals.",
            "places",
        ),
        "too_large": _("The number is too large."),
    }

    def __init__(
        self,
        *,
        decimal_places: int | None = None,
        max_digits: int | None = None,
        min_value: Decimal | int | None = None,
        max_value: Decimal | int | None = None,
        **kwargs: Any,
    ) -> None:
        for unused in ("localize", "step_size", "max_length", "empty_value"):
            kwargs.pop(unused, None)
        self.decimal_places = decimal_places
        self.max_digits = max_digits
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)
        if min_value is not None:
            self.validators.append(MinValueValidator(min_value))
        if max_value is not None:
            self.validators.append(MaxValueValidator(max_value))

    @property
    def allows_negative(self) -> bool:
        return self.min_value is None or self.min_value < 0

    @property
    def whole(self) -> bool:
        return self.decimal_places == 0

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # A phone's numeric keypad has no minus and no comma.
        numeric = self.whole and not self.allows_negative
        return {**super().widget_attrs(widget), "inputmode": "numeric" if numeric else "decimal"}

    def error_for(self, code: str, **params: Any) -> forms.ValidationError:
        return forms.ValidationError(
            self.error_messages[code],
            code="separator" if code in ("comma", "point") else code,
            params={
                "example": format_number(self.example),
                "large": format_number(1051042),
                **params,
            },
        )

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            number = Decimal(str(value))
        else:
            try:
                number = read_number(str(value))
            except OtherNotation:
                raise self.error_for("comma" if decimal_separator() == "," else "point") from None
            except ValueError:
                raise self.error_for("invalid") from None
        if self.decimal_places is not None and decimal_places(number) > self.decimal_places:
            raise self.error_for("decimals", places=self.decimal_places)
        if self.max_digits is not None:
            allowed = self.max_digits - (self.decimal_places or 0)
            if integer_digits(number) > allowed:
                raise self.error_for("too_large")
        return number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and value < 0 and not self.allows_negative:
            raise self.error_for("negative")


class IntegerFormField(NumberFormField):
    """A whole number typed the active language's way: 12 · 1.051.042."""

    example = Decimal(12)
    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": _("Enter a whole number with digits, e.g. %(example)s."),
        "comma": _("Enter a whole number with digits, e.g. %(example)s."),
        "point": _("Enter a whole number with digits, e.g. %(example)s."),
        "decimals": _("Enter a whole number with digits, e.g. %(example)s."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.pop("decimal_places", None)
        super().__init__(decimal_places=0, **kwargs)

    def to_python(self, value: Any) -> int | None:
        number = super().to_python(value)
        return None if number is None else int(number)


class YearInput(forms.TextInput):
    """A year as it is written, 2024: never with a thousands separator."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})


class YearFormField(IntegerFormField):
    """A year written with its four digits; "2.024" is refused rather than guessed at."""

    widget = YearInput
    default_error_messages: ClassVar[dict[str, Any]] = {
        "year": _("Write the year with four digits, e.g. 2024."),
    }

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "numeric"}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}", text):
            raise self.error_for("year")
        return int(text)


def is_year_field(field: models.Field[Any, Any]) -> bool:
    """Years are named so: year, start_year, target_year, permanent_from_year."""
    return field.name == "year" or field.name.endswith("_year")


def number_formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    """The form field for a numeric model field, typed the active language's way; None for a
    field that is not a number typed by hand (a key, a choice, anything else)."""
    if (
        not isinstance(field, NUMBER_MODEL_FIELDS)
        or isinstance(field, models.AutoField)
        or field.choices is not None
    ):
        return None
    if isinstance(field, MoneyField):
        return field.formfield(**kwargs)
    floors = [
        v.limit_value
        for v in field.validators
        if isinstance(v, MinValueValidator) and not callable(v.limit_value)
    ]
    if floors and "min_value" not in kwargs:  # so that a negative number gets its own message
        kwargs["min_value"] = max(floors)
    if isinstance(field, models.DecimalField | models.FloatField):
        return field.formfield(form_class=NumberFormField, **kwargs)
    form_class = YearFormField if is_year_field(field) else IntegerFormField
    return field.formfield(form_class=form_class, **kwargs)


class AmountInput(NumberTextInput):
    """An amount in mio. kr.: 0,6 · 1.100."""


class AmountFormField(NumberFormField):
    """An amount in mio. kr., never negative, with the decimals its model field allows."""

    widget = AmountInput
    example = Decimal("0.6")
    default_error_messages: ClassVar[dict[str, Any]] = {
        "invalid": _("Enter an amount in mio. kr. using digits only, e.g. %(example)s."),
        "comma": _("Use a comma as decimal separator, e.g. 0,6 or 115,1."),
        "negative": _("The amount cannot be negative."),
        "decimals": _("The amount can have at most one decimal."),
        "too_large": _("The amount is too large."),
    }

    def __init__(self, *, decimal_places: int = 1, max_digits: int = 10, **kwargs: Any) -> None:
        kwargs["min_value"] = Decimal(0)
        super().__init__(decimal_places=decimal_places, max_digits=max_digits, **kwargs)


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
        return super().formfield(**{"form_class": AmountFormField, **kwargs})
