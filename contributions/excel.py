"""Contributions as Excel: a pre-filled template to download, and a safe, all-or-nothing upload.

The upload is limited in size, rows and unpacked size (a zip bomb is refused before it is read),
parsed by openpyxl with defusedxml installed (no XML entities), and validated row by row with
Danish messages; nothing is written until every row is valid and the user applies it.
"""

import io
import math
import zipfile
from collections.abc import Container, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

import openpyxl
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from openpyxl.worksheet.datavalidation import DataValidation

from initiatives.choices import StatusCategory
from initiatives.models import Measure
from kraeftplan.downloads import neutralise, unneutralise
from kraeftplan.fields import decimal_places, decimal_separator, read_number
from kraeftplan.formatting import plain_decimal

from .forms import (
    CASE_TEXT_LIMIT,
    MAX_CASES,
    NARRATIVE_LIMIT,
    WORDING_LIMIT,
    length,
    too_long_message,
)
from .models import Contribution, ContributionItem, ProposedCase

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 1000
HEADERS = ["Indsats-id", "Initiativ", "Indsats", "Kategori", "Ordlyd", "Beskrivelse"]
CASE_SHEET = "Cases"
CASE_HEADERS = ["Indsats-id", "Indsats", "Titel", "Tekst"]
TITLE_LENGTH = cast(int, ProposedCase._meta.get_field("title").max_length)  # a CharField's


def template(contribution: Contribution) -> bytes:
    """The contribution's items as a workbook, with the status categories as a drop-down."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bidrag"
    sheet.append(HEADERS)
    labels = [str(label) for _value, label in StatusCategory.choices]
    for item in contribution.items.in_published_order().select_related("measure__initiative"):
        measure = item.measure
        sheet.append(
            [
                neutralise(cell)
                for cell in (
                    measure.pk,
                    f"{measure.initiative.number}. {measure.initiative.title}",
                    measure.title,
                    str(item.get_category_display()) if item.category else "",
                    item.wording,
                    item.narrative,
                )
            ]
        )
    choices = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"D2:D{max(sheet.max_row, 2)}")
    for column, width in zip("ABCDEF", (10, 40, 40, 24, 40, 60), strict=True):
        sheet.column_dimensions[column].width = width
    cases = book.create_sheet(CASE_SHEET)
    cases.append(CASE_HEADERS)
    for case in ProposedCase.objects.filter(item__contribution=contribution).select_related(
        "item__measure__initiative"
    ):
        cases.append(
            [
                neutralise(cell)
                for cell in (case.item.measure_id, str(case.item.measure), case.title, case.text)
            ]
        )
    for column, width in zip("ABCD", (10, 40, 40, 80), strict=True):
        cases.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ParsedRow:
    line: int
    measure_id: int | None
    category: str = ""
    wording: str = ""
    narrative: str = ""
    errors: list[str] = field(default_factory=list)
    # The measure with its initiative, for the preview; None if it is not the contribution's.
    measure: Measure | None = None

    @property
    def category_label(self) -> str:
        return str(StatusCategory(self.category).label) if self.category else ""


@dataclass
class ParsedCase:
    line: int
    measure_id: int | None
    title: str = ""
    text: str = ""
    errors: list[str] = field(default_factory=list)
    measure: Measure | None = None


@dataclass
class ParsedUpload:
    rows: list[ParsedRow]
    # None when the workbook has no case sheet: the proposed cases are then left as they are.
    cases: list[ParsedCase] | None

    @property
    def has_errors(self) -> bool:
        rows: list[ParsedRow | ParsedCase] = [*self.rows, *(self.cases or [])]
        return any(row.errors for row in rows)


class UploadError(ValueError):
    """The file as a whole cannot be used."""


def _category(text: str) -> str | None:
    text = (text or "").strip()
    for value, label in StatusCategory.choices:
        if text.lower() in (value, str(label).lower()):
            return value
    return None


def _text(cell: object) -> str:
    """A cell as the user typed it. Excel keeps "2,5" typed in a Danish sheet as the number 2.5,
    and may keep a whole number as 12.0: they come back as "2,5" and "12"."""
    if cell is None:
        return ""
    if isinstance(cell, float) and math.isfinite(cell):
        if cell.is_integer():
            return str(int(cell))
        return plain_decimal(Decimal(repr(cell))).replace(".", decimal_separator())
    return unneutralise(str(cell))


def _lines(sheet: Any, headers: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped cells) of the sheet's filled-in rows below its heading row."""
    # A workbook may declare a smaller size than it holds; read every row it has.
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    if header[: len(headers)] != headers:
        raise UploadError(
            _("The first row of the sheet %(sheet)s must be the template's headings: %(headers)s.")
            % {"sheet": sheet.title, "headers": ", ".join(headers)}
        )
    width = len(headers)
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            raise UploadError(_("The workbook has more than %(max)s rows.") % {"max": MAX_ROWS})
        cells = [_text(cell).strip() for cell in (*row, *[None] * width)]
        if any(cells[:width]):
            yield line, cells[:width]


def _measure(value: str, items: Container[int], errors: list[str]) -> int | None:
    """The measure id in a cell if the contribution reports on it; else an error is added."""
    if not value:
        errors.append(_("Unknown measure: %(value)s.") % {"value": "–"})
        return None
    try:
        number = read_number(value)
    except ValueError:  # also a number in English notation: "12.5" could be 125 or 12,5
        number = None
    if number is None or number < 1 or decimal_places(number):
        errors.append(
            _(
                "The measure id must be a whole number written with digits, "
                "e.g. 12, not “%(value)s”."
            )
            % {"value": value}
        )
        return None
    pk = int(number)
    if pk not in items:
        if Measure.objects.filter(pk=pk).exists():
            errors.append(_("The measure is not one your organisation reports on."))
        else:
            errors.append(_("Unknown measure: %(value)s.") % {"value": value})
    return pk


def _check_length(text: str, limit: int, too_long: str, errors: list[str]) -> None:
    if length(text) > limit:
        errors.append(f"{too_long} {too_long_message(limit, length(text))}")


def _known(measure_id: int | None, items: Mapping[int, ContributionItem]) -> Measure | None:
    item = items.get(measure_id) if measure_id is not None else None
    return item.measure if item else None


def _cases(sheet: Any, items: Mapping[int, ContributionItem]) -> list[ParsedCase]:
    parsed: list[ParsedCase] = []
    per_measure: dict[int | None, int] = {}
    for line, (measure, _name, title, text) in _lines(sheet, CASE_HEADERS):
        case = ParsedCase(line=line, measure_id=None, title=title, text=text)
        case.measure_id = _measure(measure, items, case.errors)
        case.measure = _known(case.measure_id, items)
        if not title:
            case.errors.append(_("The case title is empty."))
        _check_length(title, TITLE_LENGTH, _("The case title is too long."), case.errors)
        if not text:
            case.errors.append(_("The case text is empty."))
        _check_length(text, CASE_TEXT_LIMIT, _("The case text is too long."), case.errors)
        per_measure[case.measure_id] = per_measure.get(case.measure_id, 0) + 1
        if per_measure[case.measure_id] > MAX_CASES:
            case.errors.append(_("At most %(num)d cases per measure.") % {"num": MAX_CASES})
        parsed.append(case)
    return parsed


def parse(upload: UploadedFile[bytes], contribution: Contribution) -> ParsedUpload:
    if cast(int, upload.size) > MAX_UPLOAD_BYTES:  # an uploaded file always has its size
        raise UploadError(_("The file is larger than 2 MB."))
    data = upload.read()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UploadError(_("The file is not an Excel workbook (.xlsx).")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UploadError(_("The workbook unpacks to more than 20 MB and is refused."))
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken workbook
        raise UploadError(_("The workbook could not be read.")) from None
    items: Mapping[int, ContributionItem] = {
        item.measure_id: item for item in contribution.items.select_related("measure__initiative")
    }
    try:
        parsed: list[ParsedRow] = []
        for line, cells in _lines(book.worksheets[0], HEADERS):
            result = ParsedRow(line=line, measure_id=None, wording=cells[4], narrative=cells[5])
            result.measure_id = _measure(cells[0], items, result.errors)
            result.measure = _known(result.measure_id, items)
            category = _category(cells[3])
            if not cells[3]:
                result.errors.append(_("The status category is empty."))
            elif category is None:
                result.errors.append(_("Invalid status category: %(value)s.") % {"value": cells[3]})
            else:
                result.category = category
            if not cells[4]:
                result.errors.append(_("The wording is empty."))
            _check_length(cells[4], WORDING_LIMIT, _("The wording is too long."), result.errors)
            _check_length(cells[5], NARRATIVE_LIMIT, _("The narrative is too long."), result.errors)
            parsed.append(result)
        if not parsed:
            raise UploadError(_("The workbook has no rows."))
        cases = _cases(book[CASE_SHEET], items) if CASE_SHEET in book.sheetnames else None
    except UploadError:
        raise
    except Exception:  # a sheet openpyxl opened but cannot read (broken XML, missing parts)
        raise UploadError(_("The workbook could not be read.")) from None
    finally:
        book.close()
    return ParsedUpload(parsed, cases)
