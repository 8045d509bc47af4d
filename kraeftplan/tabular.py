"""Render a table (columns + rows of cells) as aligned text or CSV.

The management commands print with it today; the web exports reuse the same row builders.
Cells are str, int, Decimal or None; a Decimal is money (mio. kr.) or a figure.
"""

import csv
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kraeftplan.downloads import neutralise
from kraeftplan.formatting import format_money

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

# A cell: money (mio. kr.) or a figure as a Decimal, a count or year, a text, or nothing.
type Cell = str | int | Decimal | None


@dataclass
class Table:
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    # How far each row's first cell is indented in text (sub-lines, headings).
    indents: list[int] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)
    # Rows that are headings (a section title) rather than data.
    headings: set[int] = field(default_factory=set)
    # What each row stands for (e.g. a budget line's id), for templates that link to it.
    keys: list[object] = field(default_factory=list)

    def add(
        self, cells: list[Cell], indent: int = 0, heading: bool = False, key: object = None
    ) -> None:
        if heading:
            self.headings.add(len(self.rows))
        self.rows.append(cells)
        self.indents.append(indent)
        self.keys.append(key)

    def for_download(self, level_column: str) -> tuple[list[str], list[list[Cell]]]:
        """Headers and rows with a leading level column (0 heading/line, deeper for sub-lines)."""
        rows = [[indent, *cells] for cells, indent in zip(self.rows, self.indents, strict=True)]
        return [level_column, *self.columns], rows

    def as_dicts(self) -> list[dict[str, Any]]:
        """Rows for templates: the label, the numeric cells, the last cell, indent and kind."""
        return [
            {
                "heading": index in self.headings,
                "indent": indent,
                "cells": cells,
                "numbers": [cells[i] for i in sorted(self.numeric)],
                "key": key,
            }
            for index, (cells, indent, key) in enumerate(
                zip(self.rows, self.indents, self.keys, strict=True)
            )
        ]


def _text_cell(value: Cell) -> str:
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        return format_money(value)
    return str(value)


def render_text(table: Table, max_width: int = 60) -> str:
    """Aligned plain text; long cells wrap within their column."""
    rendered = []
    for cells, indent in zip(table.rows, table.indents, strict=True):
        texts = [_text_cell(cell) for cell in cells]
        texts[0] = "  " * indent + texts[0]
        rendered.append(texts)
    widths = [
        min(max_width, max([len(column)] + [len(row[i]) for row in rendered]))
        for i, column in enumerate(table.columns)
    ]

    def lines_of(texts: list[str]) -> Iterator[str]:
        wrapped = [
            textwrap.wrap(text, width) or [""] for text, width in zip(texts, widths, strict=True)
        ]
        height = max(len(cell) for cell in wrapped)
        for line_no in range(height):
            parts = []
            for i, cell in enumerate(wrapped):
                text = cell[line_no] if line_no < len(cell) else ""
                parts.append(text.rjust(widths[i]) if i in table.numeric else text.ljust(widths[i]))
            yield "  ".join(parts).rstrip()

    out = list(lines_of(table.columns))
    out.append("  ".join("-" * width for width in widths))
    for texts in rendered:
        out.extend(lines_of(texts))
    return "\n".join(out) + "\n"


LEVEL_COLUMN = "niveau"


def write_csv(table: Table, stream: "SupportsWrite[str]") -> None:
    """CSV for machines (the management commands): a level column (0 heading/line, deeper for
    sub-lines), commas between cells, decimals with a point, empty cells for absent values. The
    web downloads of the same tables are written for Danish Excel (kraeftplan.downloads)."""
    writer = csv.writer(stream, lineterminator="\n")
    headers, rows = table.for_download(LEVEL_COLUMN)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if cell is None else neutralise(cell) for cell in row])
