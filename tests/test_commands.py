"""The budget and status table commands print the published shape; bad input is refused."""

import csv
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from budget.models import BudgetLine
from initiatives.models import MeasureStatus

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_budget_table_as_csv_holds_every_line_and_figure_in_order(kp4):
    rows = list(csv.reader(StringIO(run("budget_table", "kraeftplan-iv", "--format", "csv"))))
    header, body = rows[0], rows[1:]
    assert header[:6] == ["niveau", "Initiativ, mio. kr.", "2017", "2018", "2019", "2020"]
    assert header[8] == "Fra 2021 og frem"
    line_rows = [row for row in body if row[2]]  # section headings have no amounts
    lines = list(BudgetLine.objects.filter(plan=kp4).order_by("position"))
    assert [row[1] for row in line_rows] == [line.label for line in lines]
    for row, line in zip(line_rows, lines, strict=True):
        amounts = dict(line.amounts.values_list("year", "amount"))
        assert [Decimal(cell) for cell in row[2:6]] == [
            amounts[y] for y in (2017, 2018, 2019, 2020)
        ]
        assert Decimal(row[6]) == line.stated_total
        assert row[8] == ("" if line.permanent_amount is None else str(line.permanent_amount))
        assert row[0] == ("2" if line.parent_id else "1")
    headings = [row[1] for row in body if not row[2]]
    assert headings == [
        "Patienten først og fremmest",
        "Forebyggelse – børn, unge og særlige grupper",
        "Øget kvalitet og forbedret overlevelse",
        "Rettidig omhu",
    ]


def test_budget_table_as_text_indents_heraf_lines_and_shows_the_slip():
    text = run("budget_table", "kraeftplan-iv")
    assert "I alt (offentliggjort)" in text and "I alt (beregnet)" in text
    hpv = next(line for line in text.splitlines() if line.startswith("  HPV-vaccination"))
    assert "7,5" in hpv and "I alt er angivet til 5" in hpv
    assert any(line.startswith("    Heraf evaluering") for line in text.splitlines())
    assert "115,1" in text and "31,6" in text


def test_status_table_lists_every_measure_with_category_and_wording(kp4):
    rows = list(
        csv.reader(StringIO(run("status_table", "kraeftplan-iv", "2020", "--format", "csv")))
    )
    assert rows[0] == [
        "niveau",
        "Nr.",
        "Initiativ",
        "Indsats",
        "Kategori",
        "Status som offentliggjort",
    ]
    statuses = MeasureStatus.objects.filter(measure__initiative__plan=kp4, year=2020)
    assert len(rows) - 1 == statuses.count() == 25
    assert [
        "0",
        "16",
        "Bedre brug af data til forskning og kvalitetsudvikling",
        "Kræftpatientoverblik (KPO)",
        "Indstillet",
        "Indstillet",
    ] in rows
    assert any(row[1] == "8.a" and row[4] == "Afsluttet" for row in rows)


def test_status_table_as_text_is_readable():
    text = run("status_table", "kraeftplan-iv", "2020")
    assert "Følger delvis tidsplanen" in text and "Tidsplanen er skubbet" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("budget_table", "kraeftplan-vi"),
            "Ukendt plan: kraeftplan-vi. Kendte planer: jo-foer-jo-bedre",
        ),
        (
            ("status_table", "kraeftplan-iv", "2031"),
            "2031 ligger uden for planens opfølgningsperiode 2017–2020.",
        ),
        (("status_table", "kraeftplan-iv", "tyve"), "Året skal være et tal som 2020, ikke tyve."),
    ],
)
def test_bad_input_gets_a_clear_danish_message(args, message):
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=StringIO())
    assert message in str(error.value)


def test_an_empty_year_prints_only_the_header():
    text = run("status_table", "kraeftplan-iv", "2018")
    assert len(text.strip().splitlines()) == 2


def test_a_command_csv_keeps_a_formula_like_text_as_text_and_numbers_as_numbers():
    from decimal import Decimal

    from kraeftplan.tabular import Table, write_csv

    table = Table(columns=["Tekst", "Beløb"], numeric={1})
    table.add(['=HYPERLINK("http://x.example","klik")', Decimal("-3.5")])
    table.add(["-10 % færre", -2])
    out = StringIO()
    write_csv(table, out)
    rows = list(csv.reader(StringIO(out.getvalue())))
    assert rows[1] == ["0", '\'=HYPERLINK("http://x.example","klik")', "-3.5"]
    assert rows[2] == ["0", "'-10 % færre", "-2"]
