"""Tables that scroll sideways by themselves: each table of a rendered page in a focusable,
named scroll region, added around the table's own bytes (see kp's scrollable_tables filter).

The tables are found by reading the HTML token by token (comments, raw-text elements and tags
with their quoted attributes), not by a pattern for tables alone: "<table" in a comment, a
script, an attribute value or a text is no table; a table inside another is part of its
region; a table's name is its own caption, never that of a table inside it."""

import re
from html import unescape
from typing import NamedTuple

from django.utils.html import format_html, strip_tags

REGION_CLASS = "kp-table-scroll"

_ATTRIBUTES = r"""(?:[^>"']|"[^"]*"|'[^']*')*"""
TOKENS = re.compile(
    rf"""<!--.*?-->
    |<(?P<raw>script|style|textarea|title)(?=[\s/>]){_ATTRIBUTES}>.*?</(?P=raw)\s*>
    |<(?P<end>/?)(?P<name>table|caption|div)(?=[\s/>])(?P<attributes>{_ATTRIBUTES})>
    |<[a-z][^\s/>]*{_ATTRIBUTES}>""",
    re.S | re.I | re.X,
)
TABLE_TAG = re.compile("<table", re.I)


def _attribute(attributes: str, name: str) -> str:
    found = re.search(rf"""\b{name}\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", attributes)
    return unescape(next(value for value in found.groups() if value is not None)) if found else ""


class TableSpan(NamedTuple):
    start: int  # where its start tag begins
    end: int  # after its end tag
    name: str  # its caption's text, else its aria-label, else ""
    in_region: bool  # already inside a scroll region


def tables_of(html: str) -> list[TableSpan]:
    """The outermost tables of the HTML, with where each starts and ends."""
    if not TABLE_TAG.search(html):  # most texts: no need to read them
        return []
    spans: list[TableSpan] = []
    divs: list[bool] = []  # the open divs, whether each is a scroll region
    depth = start = caption_start = 0  # depth: of tables
    label, in_region, captioned = "", False, False
    for token in TOKENS.finditer(html):
        name = (token["name"] or "").lower()
        if not name:
            continue
        opening = not token["end"]
        if name == "div":
            if opening:
                divs.append(REGION_CLASS in _attribute(token["attributes"], "class").split())
            elif divs:
                divs.pop()
        elif name == "table" and opening:
            depth += 1
            if depth == 1:
                start, in_region, captioned = token.start(), any(divs), False
                label = _attribute(token["attributes"], "aria-label")
        elif name == "table" and depth:
            depth -= 1
            if depth == 0:
                spans.append(TableSpan(start, token.end(), label, in_region))
        elif name == "caption" and depth == 1 and not captioned:
            if opening:
                caption_start = token.end()
            else:
                text = unescape(strip_tags(html[caption_start : token.start()]))
                label, captioned = " ".join(text.split()) or label, True
    return spans


def with_scroll_regions(html: str, fallback_name: str) -> str:
    """The HTML with each outermost table not yet in one inside a scroll region: a div that
    takes keyboard focus (its arrow keys scroll it) and is named as the table is, else
    fallback_name. Nothing else changes, not a byte of a table."""
    pieces, done = [], 0
    for span in tables_of(html):
        if span.in_region:
            continue
        pieces += [
            html[done : span.start],
            format_html(
                '<div class="{}" role="region" tabindex="0" aria-label="{}">',
                REGION_CLASS,
                span.name or fallback_name,
            ),
            html[span.start : span.end],
            "</div>",
        ]
        done = span.end
    return "".join([*pieces, html[done:]])
