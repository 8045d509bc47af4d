"""Matching words marked with <mark>, everything else escaped.

The database (PostgreSQL's ts_headline) or Python (the SQLite fallback) puts two private-use
characters around each match; marked() escapes the text and only then turns each pair into
<mark>…</mark>, so that nothing from the data can become markup, and every <mark> is closed.
"""

import html
import re
from collections.abc import Sequence

from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

START, STOP = "\ue000", "\ue001"
_PAIR = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
# Markdown a snippet does not need: the markers that place cases and tables, emphasis, headings.
_MARKERS = re.compile(r"\[\[[^\]]*\]\]|\*\*|__|^#+\s*", re.M)
_SPACE = re.compile(r"\s+")
# The separators between a record's texts (search.queries.SEPARATOR), where a text was empty.
_SEPARATORS = re.compile(r"(?:\s*·)+\s*")

SNIPPET_BEFORE = 80
SNIPPET_LENGTH = 260


def marked(text: str) -> SafeString:
    """The text escaped, with each START…STOP pair as <mark>…</mark> (stray ones dropped)."""
    parts: list[str] = []
    position = 0
    for match in _PAIR.finditer(text):
        parts.append(escape(_bare(text[position : match.start()])))
        parts.append(f"<mark>{escape(match[1])}</mark>")
        position = match.end()
    parts.append(escape(_bare(text[position:])))
    return mark_safe("".join(parts))


def _bare(text: str) -> str:
    return text.replace(START, "").replace(STOP, "")


def plain(text: str, *, is_html: bool = False) -> str:
    """Text as a snippet shows it: tags and markdown markers out, whitespace collapsed."""
    if is_html:
        text = html.unescape(strip_tags(text))
    text = _SPACE.sub(" ", _MARKERS.sub("", text))
    return _SEPARATORS.sub(" · ", text).strip(" ·")


# How much of a long text (a report's whole page) around its first match leaves the database
# for an excerpt (search.queries.excerpt_source), in characters.
WINDOW = 4000


def _pattern(words: Sequence[str]) -> re.Pattern[str]:
    """Every word containing one of the search words (as PostgreSQL marks a prefix match: the
    whole word)."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"\w*(?:{alternatives})\w*", re.IGNORECASE)


def mark_words(text: str, words: Sequence[str]) -> str:
    """The text with START…STOP around each word that contains a search word."""
    text = _bare(text)
    if not words:
        return text
    return _pattern(words).sub(lambda m: f"{START}{m[0]}{STOP}", text)


def excerpt(text: str, words: Sequence[str]) -> str:
    """About SNIPPET_LENGTH characters of the text around its first match (its start when
    nothing matches), cut at spaces, with "…" where it is cut; matches between START and STOP."""
    text = _bare(text)
    match = _pattern(words).search(text) if words else None
    start = max(0, match.start() - SNIPPET_BEFORE) if match else 0
    end = start + SNIPPET_LENGTH
    if start > 0:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < (match.start() if match else end) else start
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = text[start:end].strip()
    return (
        ("… " if start > 0 else "") + mark_words(piece, words) + (" …" if end < len(text) else "")
    )
