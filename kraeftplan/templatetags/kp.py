"""Template filters for Danish numbers and money (see kraeftplan.formatting)."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

import markdown as markdown_lib
import nh3
from django import template
from django.utils.safestring import SafeString, mark_safe

from kraeftplan import formatting

# What typed narratives may contain once rendered; everything else (scripts, styles, event
# handlers, images, iframes) is stripped by nh3.
ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

register = template.Library()


@register.filter
def money(value: Decimal | float | str | None) -> str:
    return formatting.format_money(value)


@register.filter
def number(value: Decimal | float | None, decimals: int | str | None = None) -> str:
    return formatting.format_number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value: Decimal | float | None, decimals: int | str | None = None) -> str:
    return formatting.format_percent(value, None if decimals in (None, "") else int(decimals))


def render_markdown(text: str) -> str:
    html = markdown_lib.markdown(text or "", extensions=[], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


@register.filter
def markdown(text: str) -> SafeString:
    """Markdown as typed, sanitised: safe to show whoever wrote it."""
    return mark_safe(render_markdown(text))


@register.filter
def get_item(mapping: Mapping[Any, Any] | None, key: object) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def add_lists(first: Iterable[Any], second: Iterable[Any]) -> list[Any]:
    return [*first, *second]
