"""Turn an indicator's measurements into a table (and chart series) a reader can follow."""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .models import Indicator


@dataclass
class Matrix:
    columns: list[str]
    rows: list[tuple[str, list[Any]]] = field(default_factory=list)  # (label, [measurement | None])
    column_title: str = ""


def _label(*parts: str) -> str:
    return " – ".join(part for part in parts if part)


def indicator_matrix(indicator: "Indicator") -> Matrix:
    """Periods as columns and breakdowns as rows; a one-period table with categories (e.g. a
    survey's answer columns) keeps the categories as columns, as published."""
    measurements = list(indicator.measurements.all())
    periods = sorted({m.period for m in measurements}, key=lambda p: (p[:4], p))
    categories = list(dict.fromkeys(m.category for m in measurements))
    if len(periods) == 1 and len(categories) > 1:
        columns, column_of = categories, lambda m: m.category
        row_of = lambda m: _label(m.group, m.breakdown)  # noqa: E731
        column_title = periods[0]
    else:
        columns, column_of = periods, lambda m: m.period
        row_of = lambda m: _label(m.group, m.breakdown, m.category)  # noqa: E731
        column_title = ""
    rows: dict[str, dict[str, object]] = {}
    for measurement in sorted(measurements, key=lambda m: (m.position, m.pk)):
        rows.setdefault(row_of(measurement), {})[column_of(measurement)] = measurement
    return Matrix(
        columns=columns,
        rows=[
            (label or indicator.name, [cells.get(c) for c in columns])
            for label, cells in rows.items()
        ],
        column_title=column_title,
    )
