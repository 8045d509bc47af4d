"""The budget of a plan in its published shape, as a Table (see kraeftplan.tabular)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from kraeftplan.tabular import Table

from .checks import check_line, lines_for_checks


def budget_table(plan, lines=None, years=None) -> Table:
    """Sections, lines and indented "Heraf" lines; each year, I alt, computed total, permanent.

    The last column holds the consistency findings of the line, so a reader sees a slip next to
    the figure it concerns. lines: top-level lines with their Heraf lines, each with its amounts
    (default: all the plan's, lines_for_checks()); years: the columns (default: the lines').
    """
    lines = lines_for_checks(plan) if lines is None else lines
    if years is None:
        years = sorted({amount.year for line in lines for amount in line.amounts.all()})
    permanent_label = (
        _("From %(year)s onwards") % {"year": plan.permanent_from_year}
        if plan.permanent_from_year
        else _("Permanent")
    )
    columns = [
        _("Initiative, mio. kr."),
        *[str(year) for year in years],
        _("Total (as published)"),
        _("Total (computed)"),
        permanent_label,
        _("Differences"),
    ]
    table = Table(columns=columns, numeric=set(range(1, len(years) + 4)))
    by_parent: dict[int, list] = {}
    for line in lines:
        if line.parent_id:
            by_parent.setdefault(line.parent_id, []).append(line)

    section_id = object()
    for line in lines:
        if line.parent_id:
            continue
        if line.section_id != section_id:
            section_id = line.section_id
            if line.section is not None:
                table.add([line.section.title] + [""] * (len(columns) - 1), heading=True)
        indent = 1 if line.section_id else 0
        _add_line(table, line, years, indent, by_parent.get(line.pk, []))
        for child in by_parent.get(line.pk, []):
            _add_line(table, child, years, indent + 1, by_parent.get(child.pk, []))
    return table


def _add_line(table, line, years, indent, children):
    by_year = {amount.year: amount.amount for amount in line.amounts.all()}
    computed = sum(by_year.values(), Decimal(0)) if by_year else None
    findings = "; ".join(finding.message() for finding in check_line(line, children=children))
    table.add(
        [
            line.label,
            *[by_year.get(year) for year in years],
            line.stated_total,
            computed,
            line.permanent_amount,
            findings,
        ],
        indent=indent,
        key=line.pk,
    )
