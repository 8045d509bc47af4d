"""Django form fields in Det Fælles Designsystem's markup."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import translation

if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


def dkfds_classes(fields: Mapping[str, forms.Field]) -> None:
    """Give each visible field's widget its DKFDS class (form-select, form-checkbox or
    form-input), unless the field has set a class of its own."""
    for field in fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-checkbox"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-input"
        widget.attrs.setdefault("class", css)


def danish_inputs(fields: Mapping[str, forms.Field], *names: str) -> None:
    """Mark the named fields' inputs lang="da" on a page in another language: what is typed or
    shown there is Danish text for the year's status (as it will be published), whatever the
    page's language, and a screen reader or spelling checker should treat it so."""
    if translation.get_language() != "da":
        for name in names:
            fields[name].widget.attrs["lang"] = "da"


class DanishDataSelect(forms.Select):
    """A select whose choices are Danish data (plans, main elements, organisations): on a page
    in another language each option but the empty one ("All plans") is marked lang="da", as
    the da filter marks Danish data in text."""

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) != "" and translation.get_language() != "da":
            option["attrs"] = {**option["attrs"], "lang": "da"}
        return option


class DkfdsForm(_FormBase):
    """Mixin for a form whose widgets get their DKFDS classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dkfds_classes(self.fields)
