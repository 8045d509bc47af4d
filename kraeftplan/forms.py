"""Django form fields in Det Fælles Designsystem's markup."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms

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


class DkfdsForm(_FormBase):
    """Mixin for a form whose widgets get their DKFDS classes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dkfds_classes(self.fields)
