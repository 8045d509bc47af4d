"""The CSV downloads open in Danish Excel (UTF-8 with BOM, semicolons, decimal comma) with every
figure exactly as published; the data zip has the same files for programs (comma, point) and
for Excel (in excel/), and says so; the API keeps JSON's conventions."""

import csv
import io
import re
import zipfile
from collections import Counter
from decimal import Decimal

import pytest

from budget.models import BudgetLine
from kraeftplan.downloads import download, excel_number
from opendata.datazip import README
from opendata.resources import RESOURCES
from targets.models import Measurement

pytestmark = pytest.mark.django_db

BOM = b"\xef\xbb\xbf"
# A number as Danish Excel reads one from a CSV cell: digits, a decimal comma, no grouping.
EXCEL_NUMBER = re.compile(r"^-?\d+(,\d+)?$")


def as_excel_reads(body: bytes) -> list[list[object]]:
    """The cells as Danish Excel opens the file: it must start with the BOM (else Excel reads a
    legacy code page), cells split at semicolons, numbers read with a decimal comma."""
    assert body.startswith(BOM)
    rows = list(csv.reader(io.StringIO(body[len(BOM) :].decode("utf-8")), delimiter=";"))
    return [
        [Decimal(cell.replace(",", ".")) if EXCEL_NUMBER.match(cell) else cell for cell in row]
        for row in rows
    ]


def zip_of(client) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(client.get("/data/kraeftplan-data.zip").getvalue()))


@pytest.mark.parametrize(
    "url",
    [
        "/initiativer/?hent=csv",
        "/en/initiativer/?hent=csv",
        "/budget/kraeftplan-iv/?hent=csv",
        "/budget/jo-foer-jo-bedre/?hent=csv",
    ],
)
def test_every_table_download_opens_in_danish_excel_in_columns(client, url):
    response = client.get(url)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = as_excel_reads(response.content)
    assert len(rows) > 2
    assert {len(row) for row in rows} == {len(rows[0])}, "every row has the header's columns"
    assert len(rows[0]) > 3


def test_the_budget_download_has_every_published_amount_with_a_decimal_comma(client, kp4):
    body = client.get("/budget/kraeftplan-iv/?hent=csv").content
    rows = as_excel_reads(body)
    years = {index: int(title) for index, title in enumerate(rows[0]) if str(title).isdigit()}
    # (label, year, amount) of every amount, as Excel reads the file and as the database has it.
    read = Counter(
        (row[1], year, row[index])
        for row in rows[1:]
        for index, year in years.items()
        if isinstance(row[index], Decimal)
    )
    published = Counter(
        (line.label, amount.year, amount.amount)
        for line in BudgetLine.objects.filter(plan=kp4).prefetch_related("amounts")
        for amount in line.amounts.all()
    )
    assert read == published and len(published) > 50
    text = body.decode("utf-8-sig")
    assert ";2,5;" in text and not re.search(r"(^|;)\d+\.\d+(;|$)", text, re.M)


def test_the_indicator_download_has_every_figure_with_a_decimal_comma(client):
    measurement = next(
        m
        for m in Measurement.objects.select_related("indicator").order_by("pk")
        if m.value != m.value.to_integral()
    )
    body = client.get(f"/indikatorer/{measurement.indicator_id}.csv").content
    rows = as_excel_reads(body)
    figures = {cell for row in rows[1:] for cell in row[1:] if isinstance(cell, Decimal)}
    published = set(
        Measurement.objects.filter(indicator=measurement.indicator).values_list("value", flat=True)
    )
    assert measurement.value in figures and figures <= published
    assert f";{excel_number(measurement.value)}" in body.decode("utf-8-sig")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("0.6"), "0,6"),
        (Decimal("115.10"), "115,1"),
        (Decimal("1100"), "1100"),
        (Decimal("-2.25"), "-2,25"),
        (Decimal("1E+3"), "1000"),
        (0.5, "0,5"),
    ],
)
def test_a_number_is_written_exactly_with_a_decimal_comma(value, text):
    assert excel_number(value) == text


def test_a_formula_stays_text_and_a_negative_number_stays_a_number():
    response = download("csv", "x", ["a", "b"], [["=1+1", Decimal("-0.5")], ["-x", 3]])
    rows = as_excel_reads(response.content)
    assert rows == [["a", "b"], ["'=1+1", Decimal("-0.5")], ["'-x", Decimal(3)]]


class TestTheDataZip:
    def test_it_holds_every_file_for_programs_and_for_excel(self, client):
        names = set(zip_of(client).namelist())
        files = {"datadictionary.csv", *(f"{r.name}.csv" for r in RESOURCES)}
        assert names == {"LAESMIG.txt", *files, *(f"excel/{name}" for name in files)}

    def test_the_files_for_programs_use_comma_and_point_and_no_bom(self, client):
        archive = zip_of(client)
        body = archive.read("budgetbeloeb.csv")
        assert not body.startswith(BOM)
        rows = list(csv.DictReader(io.StringIO(body.decode())))
        assert {"line", "plan", "year", "amount"} <= set(rows[0])
        assert any("." in row["amount"] for row in rows)

    def test_the_files_for_excel_hold_the_same_figures(self, client):
        archive = zip_of(client)
        for resource in RESOURCES:
            name = f"{resource.name}.csv"
            program = list(csv.reader(io.StringIO(archive.read(name).decode())))
            excel = as_excel_reads(archive.read(f"excel/{name}"))
            assert excel[0] == program[0], name
            assert len(excel) == len(program), name
            decimals = {f.name for f in resource.csv_fields() if f.type == "decimal"}
            for program_row, excel_row in zip(program[1:], excel[1:], strict=True):
                for column, cell, read in zip(program[0], program_row, excel_row, strict=True):
                    if column in decimals and cell:
                        assert read == Decimal(cell), (name, column, cell)
                    elif isinstance(read, Decimal):  # a whole number, or text Excel reads as one
                        assert read == Decimal(cell.replace(",", ".")), (name, column, cell)
                    else:
                        assert read == cell, (name, column, cell)
        amounts = as_excel_reads(archive.read("excel/budgetbeloeb.csv"))
        column = amounts[0].index("amount")
        assert sum(row[column] for row in amounts[1:] if row[1] == "jo-foer-jo-bedre") == 2200

    def test_its_read_me_says_which_file_is_for_whom(self, client):
        text = zip_of(client).read("LAESMIG.txt").decode()
        assert text == README
        text = " ".join(text.split())
        assert "komma som skilletegn, punktum som decimaltegn" in text
        assert "excel/" in text and "semikolon som skilletegn, komma som decimaltegn" in text


def test_the_api_keeps_a_decimal_point(client):
    amounts = client.get("/api/v1/budgetbeloeb/", {"limit": 1000}).json()["results"]
    assert any(re.fullmatch(r"\d+\.\d+", a["amount"]) for a in amounts)
    assert not any("," in a["amount"] for a in amounts)
