import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from initiatives.models import validate_search
from kraeftplan.forms import dkfds_classes

from .queries import KINDS

# What a search is made of: letters and digits; everything else separates words.
WORD = re.compile(r"[^\W_]+")
# Control, format, private-use and surrogate characters are no part of a search (NUL included).
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cs"})


def validate_printable(text: str) -> None:
    if any(
        unicodedata.category(char) in REFUSED_CATEGORIES and char not in "\t\n\r" for char in text
    ):
        raise ValidationError(
            _("A search can only contain letters, digits, spaces and punctuation."),
            code="search_control_characters",
        )


class SearchForm(forms.Form):
    """The search: a few words (?q=), and optionally one kind of result to see all of (?vis=)."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        validators=[validate_printable, validate_search],
    )
    vis = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("Every kind"))] + [(kind.key, kind.label) for kind in KINDS],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dkfds_classes(self.fields)

    def clean_q(self) -> str:
        text: str = self.cleaned_data["q"]
        # One word of a search is one condition: "a-b-c-…" counts as its words.
        validate_search(" ".join(WORD.findall(text)))
        return text

    @property
    def words(self) -> list[str]:
        """The search's words (letters and digits), once the form is valid."""
        return WORD.findall(self.cleaned_data.get("q") or "") if self.is_valid() else []
