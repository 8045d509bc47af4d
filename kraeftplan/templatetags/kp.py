"""Template filters for Danish numbers and money (see kraeftplan.formatting), the language
links, Danish data on pages in other languages, tables that scroll by themselves and the
breadcrumbs."""

import html as html_lib
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import markdown as markdown_lib
import nh3
from django import template
from django.conf import settings
from django.urls import Resolver404, resolve, reverse, translate_url
from django.utils import translation
from django.utils.html import conditional_escape, format_html, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django_stubs_ext import StrOrPromise

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


TABLE = re.compile(r"<table\b[^>]*>(?P<inner>.*?)</table>", re.S | re.I)
CAPTION = re.compile(r"<caption\b[^>]*>(?P<text>.*?)</caption>", re.S | re.I)
SCROLLS = "kp-table-scroll"
# A region that a template wrote itself: ours, or DKFDS's class for it.
REGION_CLASSES = (SCROLLS, "table--responsive-scroll")


@register.filter(is_safe=True)
def scrollable_tables(html: str) -> SafeString:
    """The page with each table inside its own scroll region, so that a wide table scrolls
    sideways by itself instead of the whole page on a phone (WCAG 1.4.10): a focusable region
    (keyboard users scroll it with the arrow keys) named as the table's caption names it.

    Applied to the rendered content of every page (templates/base.html), so it covers the
    published reports' frozen HTML too, without changing what is stored or a byte of the
    table. Tables are our own templates' output, never nested; a table a template already put
    in a region is left as it is."""
    html = str(html)

    def wrap(match: re.Match[str]) -> str:
        before = html[max(match.start() - 300, 0) : match.start()]
        last_tag = before[before.rfind("<") :]
        if any(name in last_tag for name in REGION_CLASSES):
            return match.group(0)
        caption = CAPTION.search(match.group("inner"))
        name = " ".join(strip_tags(caption.group("text")).split()) if caption else ""
        return format_html(
            '<div class="{}" role="region" tabindex="0" aria-label="{}">{}</div>',
            SCROLLS,
            # The caption's text as it stands in the HTML: unescaped here, escaped again above.
            html_lib.unescape(name) or _("Table"),
            mark_safe(match.group(0)),
        )

    return mark_safe(TABLE.sub(wrap, html))


Crumb = tuple[str, str | None, str | None]  # label, address, language of the label
Step = Callable[[template.Context], Crumb]


@register.simple_tag(takes_context=True)
def page_crumbs(context: template.Context) -> list[Crumb]:
    """The page's breadcrumbs, the last the page itself (no address): those its view gave
    ("crumbs", see kraeftplan.views.crumbs), else the trail of its kind of page (TRAILS), from
    its address's name and the objects in its context. The home page has none."""
    given = context.get("crumbs")
    if given:
        return [(str(c[0]), c[1], c[2] if len(c) > 2 else None) for c in given]
    match = getattr(context.get("request"), "resolver_match", None)
    if match is None or match.view_name not in TRAILS:
        return []
    trail: list[Crumb] = [(_("Overview"), reverse("dashboard:home"), None)]
    trail += [step(context) for step in TRAILS[match.view_name]]
    label, _address, lang = trail[-1]
    return [*trail[:-1], (label, None, lang)]


def _page(label: StrOrPromise, url_name: str) -> Step:
    """A crumb for a page of the portal's own (its label translated)."""
    return lambda context: (str(label), reverse(url_name), None)


def _here(label: StrOrPromise) -> Step:
    """The last crumb, a page that needs its object's address to have one."""
    return lambda context: (str(label), None, None)


def _thing(name: str, attribute: str) -> Step:
    """A crumb for the object in the context under name: its attribute, Danish data."""

    def step(context: template.Context) -> Crumb:
        thing = context.get(name)
        address = getattr(thing, "get_absolute_url", None)
        return (str(getattr(thing, attribute, "")), address() if address else None, "da")

    return step


PLANS = _page(_lazy("Plans"), "dashboard:plan_list")
REPORTS = _page(_lazy("Reports"), "reports:report_list")
TARGETS = _page(_lazy("National targets"), "targets:target_list")
LOGIN = _page(_lazy("Log in"), "login")
TRAILS: dict[str, list[Step]] = {
    "dashboard:plan_list": [PLANS],
    "initiatives:initiative_list": [_page(_lazy("Initiatives"), "initiatives:initiative_list")],
    "targets:target_list": [TARGETS],
    "targets:target_detail": [TARGETS, _thing("target", "title")],
    "budget:budget_detail": [
        PLANS,
        _thing("plan", "short_name"),
        _here(_lazy("Budget")),
    ],
    "reports:report_list": [REPORTS],
    "reports:report_detail": [REPORTS, _thing("report", "title")],
    "reports:report_version": [REPORTS, _thing("report", "title")],
    "reports:report_preview": [REPORTS, _thing("report", "title")],
    "pages:about_data": [_page(_lazy("About the data"), "pages:about_data")],
    "pages:accessibility": [_page(_lazy("Accessibility statement"), "pages:accessibility")],
    "login": [LOGIN],
    "password_reset": [LOGIN, _page(_lazy("Forgotten password"), "password_reset")],
}
