"""Narratives that place a case or a table where the published status prints it.

A narrative (an initiative's status text of a year, a measure's narrative, a target's status or
a report's section) is Markdown. A line holding only ``[[Case 12]]`` or ``[[Tabel 4]]`` places
that case (by its label as published) or that table (by its table label as published, or by its
name when the document gives it no label) at that point of the text, as the published document
does; cases and tables no narrative places follow after the text.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

MARKER = re.compile(r"^[ \t]*\[\[([^\[\]\n]{1,60})\]\][ \t]*$", re.MULTILINE)


@dataclass(frozen=True)
class Part:
    """One piece of a narrative: Markdown text, or a placed case or table (indicator)."""

    text: str = ""
    case: Any = None
    indicator: Any = None


def markers(text: str) -> list[str]:
    """The labels the text places, in order."""
    return [match.group(1).strip() for match in MARKER.finditer(text or "")]


def parts(text: str, cases: Mapping[str, Any], tables: Mapping[str, Any]) -> list[Part]:
    """The text split at its markers; a marker naming neither a case nor a table stays text."""
    result: list[Part] = []
    start = 0
    for match in MARKER.finditer(text or ""):
        label = match.group(1).strip()
        if label not in cases and label not in tables:
            continue
        if chunk := text[start : match.start()].strip():
            result.append(Part(text=chunk))
        result.append(Part(case=cases.get(label), indicator=tables.get(label)))
        start = match.end()
    if chunk := (text or "")[start:].strip():
        result.append(Part(text=chunk))
    return result


def figure_label(indicator: Any) -> str:
    """How a narrative names a table: its label as published ("Tabel 4"), else its name."""
    return str(indicator.table_label or indicator.name)


def figures(indicators: Iterable[Any]) -> dict[str, Any]:
    return {figure_label(indicator): indicator for indicator in indicators}


def unplaced(items: Iterable[Any], label: Callable[[Any], str], texts: Iterable[str]) -> list[Any]:
    """The items (cases or indicators) whose label no text places."""
    placed = {name for text in texts for name in markers(text)}
    return [item for item in items if label(item) not in placed]
