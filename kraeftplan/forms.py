"""Django form fields in Det Fælles Designsystem's markup."""

from django import forms


def dkfds_classes(fields) -> None:
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


class DkfdsForm:
    """Mixin for a form whose widgets get their DKFDS classes."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        dkfds_classes(self.fields)
