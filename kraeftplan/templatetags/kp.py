"""Template filters for Danish numbers and money (see kraeftplan.formatting), and the language
links."""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst

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


def page_in_language(path: str, code: str) -> str:
    """This page's address in another language (/initiativer/ ↔ /en/initiativer/, the query
    kept); the home page in that language where the address leads nowhere (a 404)."""
    try:
        resolve(urlsplit(path).path)
    except Resolver404:
        with translation.override(code):
            return reverse("dashboard:home")
    return translate_url(path, code)


@register.simple_tag(takes_context=True)
def language_links(context: template.Context) -> list[tuple[str, str, str, bool]]:
    """(code, the language's name in itself, this page in it, whether it is the current one)
    for each language: plain links, so choosing a language needs no form and no cookie."""
    request = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = translation.get_language()
    return [
        (
            code,
            capfirst(translation.get_language_info(code)["name_local"]),
            page_in_language(path, code),
            code == current,
        )
        for code, _name in settings.LANGUAGES
    ]
