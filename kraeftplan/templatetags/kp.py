"""Template filters for Danish numbers and money (see kraeftplan.formatting), the language
links, Danish data on pages in other languages, tables that scroll by themselves and the
breadcrumbs."""

import re
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
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from kraeftplan import formatting
from kraeftplan.scroll_regions import with_scroll_regions

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


# A bare web address in a text (the sources cite articles so): made a Markdown autolink, so that
# it becomes a link. Not one already in a link ("](…)", "<…>") or an attribute; a closing
# bracket or a full stop after it ends it.
BARE_ADDRESS = re.compile(r"(?<!\]\()(?<![<\"'=])\bhttps?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?]")


def render_markdown(text: str) -> str:
    text = BARE_ADDRESS.sub(lambda match: f"<{match[0]}>", text or "")
    html = markdown_lib.markdown(text, extensions=[], output_format="html")
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


@register.simple_tag(takes_context=True)
def language_alternates(context: template.Context) -> list[tuple[str, str]]:
    """(hreflang, absolute address) of this page in each language, and x-default (the page in
    the default language), for <link rel="alternate"> in the head; none for an address that
    leads nowhere (its 404 page has no counterpart)."""
    request = context.get("request")
    if request is None or request.resolver_match is None:
        return []
    path = request.get_full_path()
    alternates = [
        (code, request.build_absolute_uri(page_in_language(path, code)))
        for code, _name in settings.LANGUAGES
    ]
    default = dict(alternates)[settings.LANGUAGE_CODE]
    return [*alternates, ("x-default", default)]


@register.filter(is_safe=True)
def da(value: str | SafeString) -> SafeString:
    """Danish data (a plan's name, an initiative's title, a status wording) on a page in another
    language, marked lang="da" so that a screen reader reads it in Danish; as it is on a Danish
    page."""
    if translation.get_language() == "da":
        return conditional_escape(value)
    return format_html('<span lang="da">{}</span>', value)


@register.simple_tag
def da_lang() -> SafeString:
    """The attribute lang="da" for an element of Danish data (a narrative, a report's body) on
    a page in another language, nothing on a Danish page: <div{% da_lang %}>."""
    return mark_safe("" if translation.get_language() == "da" else ' lang="da"')


@register.filter(is_safe=True)
def scrollable_tables(html: str) -> str:
    """The page with each table inside its own scroll region, so that a wide table scrolls
    sideways by itself instead of the whole page on a phone (WCAG 1.4.10): a focusable region
    (keyboard users scroll it with the arrow keys) named as the table's caption names it (else
    its aria-label, else "Table"); see kraeftplan.scroll_regions.

    Applied once, to the rendered content of every page (templates/base.html): the one way the
    portal's tables scroll, the published reports' frozen HTML included, without changing what
    is stored or a byte of a table. Text not marked safe is escaped, as it would be without
    the filter: it has no tables to wrap."""
    if not isinstance(html, SafeData):
        return conditional_escape(html)
    return mark_safe(with_scroll_regions(html, _("Table")))


Crumb = tuple[str, str | None, str | None]  # label, address, language of the label


@register.simple_tag(takes_context=True)
def page_crumbs(context: template.Context) -> list[Crumb]:
    """The page's breadcrumbs as (label, address, language) triples, the last the page itself
    (no address): those its view gave ("crumbs", see kraeftplan.views.crumbs). A page whose
    view gives none (the home page, an error page) has none: where a page sits is its view's
    to say, as only the view knows whether it found its object."""
    return [(str(c[0]), c[1], c[2] if len(c) > 2 else None) for c in context.get("crumbs") or ()]
