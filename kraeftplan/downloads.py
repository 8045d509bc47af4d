"""CSV and XLSX downloads of any table, safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return would be read as a formula by
Excel and LibreOffice; such text cells get a leading apostrophe. Numbers stay numbers.

The CSV downloads are written for Danish Excel, which opens them with a double click: UTF-8
with a byte-order mark (without it Excel guesses a legacy code page and garbles æ, ø and å),
semicolons between cells (Excel splits by the list separator of the reader's locale, and the
Danish one is ";" since "," is the decimal sign) and numbers with a decimal comma. The figures
stay exactly the published ones: only the decimal sign differs, no rounding, no thousands
separator. Programs get comma and point from the API and the data zip (opendata).
"""

from collections.abc import Iterable
from decimal import Decimal

import tablib
from django.http import HttpResponse

from kraeftplan.formatting import ascii_slug, plain_decimal

DOWNLOAD_PARAMETER = "hent"
BOM = "\ufeff"
EXCEL_DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def unknown_format_message(fmt: str) -> str:
    from django.utils.translation import gettext as _

    return _("Unknown download format: %(format)s. Choose csv or xlsx.") % {"format": fmt}


def neutralise[T](value: T) -> T | str:
    """A text cell that a spreadsheet would read as a formula (=, +, -, @, tab, CR first) is
    written with a leading apostrophe, so that it stays text: the one helper every spreadsheet
    and CSV we write goes through."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unneutralise(value: str) -> str:
    """The text as typed, from a cell that neutralise() wrote (an uploaded template)."""
    # A spreadsheet file keeps a CR as a line feed.
    if value.startswith("'") and value[1:].startswith((*FORMULA_STARTS, "\n")):
        return value[1:]
    return value


def excel_number(value: Decimal | float) -> str:
    """A number as Danish Excel reads it from a CSV file: 0.6 → "0,6", 1100 → "1100" (exact; no
    thousands separator, which Excel would not need and a program would misread)."""
    text = plain_decimal(value) if isinstance(value, Decimal) else repr(value)
    return text.replace(".", ",")


def _cell(value: object, fmt: str) -> Decimal | float | str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal | float):
        return value if fmt == "xlsx" else excel_number(value)
    if isinstance(value, int):
        return value
    return neutralise(str(value))


def dataset(
    headers: Iterable[object],
    rows: Iterable[Iterable[object]],
    fmt: str = "csv",
    title: str = "data",
) -> tablib.Dataset:
    data = tablib.Dataset(headers=[neutralise(str(h)) for h in headers], title=title[:31])
    for row in rows:
        data.append([_cell(value, fmt) for value in row])
    return data


CONTENT_TYPES = {**FORMATS, "zip": "application/zip", "pdf": "application/pdf"}


def file_response(body: bytes | str, filename: str, *, inline: bool = False) -> HttpResponse:
    """The one way a file is answered: its content type from the file name's ending, and a
    Content-Disposition that downloads it (or, inline, shows it in the browser)."""
    response = HttpResponse(body, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def download(
    fmt: str, name: str, headers: Iterable[object], rows: Iterable[Iterable[object]]
) -> HttpResponse:
    """A response with the rows as CSV for Danish Excel (UTF-8 with BOM, semicolons, decimal
    comma) or as XLSX (real numbers)."""
    data = dataset(headers, rows, fmt, title=name)
    body = (
        BOM + data.export("csv", delimiter=EXCEL_DELIMITER) if fmt == "csv" else data.export("xlsx")
    )
    return file_response(body, f"{ascii_slug(name) or 'data'}.{fmt}")
