"""Contributions as Excel: a pre-filled template to download, and a safe, all-or-nothing upload.

The upload is limited in size, rows and unpacked size (a zip bomb is refused before it is read),
parsed by openpyxl with defusedxml installed (no XML entities), and validated row by row with
Danish messages; nothing is written until every row is valid and the user applies it.
"""

import io
import zipfile
from dataclasses import dataclass, field

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.worksheet.datavalidation import DataValidation

from .choices import StatusCategory

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_ROWS = 1000
HEADERS = ["Indsats-id", "Initiativ", "Indsats", "Kategori", "Ordlyd", "Beskrivelse"]


def template(contribution) -> bytes:
    """The contribution's items as a workbook, with the status categories as a drop-down."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Bidrag"
    sheet.append(HEADERS)
    labels = [str(label) for _value, label in StatusCategory.choices]
    for item in contribution.items.select_related("measure__initiative").order_by(
        "measure__initiative__position", "measure__position"
    ):
        measure = item.measure
        sheet.append(
            [
                measure.pk,
                f"{measure.initiative.number}. {measure.initiative.title}",
                measure.title,
                str(item.get_category_display()) if item.category else "",
                item.wording,
                item.narrative,
            ]
        )
    choices = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add(f"D2:D{max(sheet.max_row, 2)}")
    for column, width in zip("ABCDEF", (10, 40, 40, 24, 40, 60), strict=True):
        sheet.column_dimensions[column].width = width
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


class UploadError(ValueError):
    """The file as a whole cannot be used."""


def _category(text: str) -> str | None:
    text = (text or "").strip()
    for value, label in StatusCategory.choices:
        if text.lower() in (value, str(label).lower()):
            return value
    return None


def parse(upload, contribution) -> list[ParsedRow]:
    if upload.size > MAX_UPLOAD_BYTES:
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
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(rows, ())]
    if header[: len(HEADERS)] != HEADERS:
        raise UploadError(
            _("The first row must be the template's headings: %(headers)s.")
            % {"headers": ", ".join(HEADERS)}
        )
    items = {item.measure_id: item for item in contribution.items.all()}
    from .models import Measure

    parsed = []
    for line, row in enumerate(rows, start=2):
        if line - 1 > MAX_ROWS:
            raise UploadError(_("The workbook has more than %(max)s rows.") % {"max": MAX_ROWS})
        cells = [("" if cell is None else str(cell)).strip() for cell in (*row, *[None] * 6)][:6]
        if not any(cells):
            continue
        result = ParsedRow(line=line, measure_id=None, wording=cells[4], narrative=cells[5])
        if not cells[0].isdigit():
            result.errors.append(_("Unknown measure: %(value)s.") % {"value": cells[0] or "–"})
        else:
            result.measure_id = int(cells[0])
            if result.measure_id not in items:
                if Measure.objects.filter(pk=result.measure_id).exists():
                    result.errors.append(_("The measure is not one your organisation reports on."))
                else:
                    result.errors.append(_("Unknown measure: %(value)s.") % {"value": cells[0]})
        category = _category(cells[3])
        if not cells[3]:
            result.errors.append(_("The status category is empty."))
        elif category is None:
            result.errors.append(_("Invalid status category: %(value)s.") % {"value": cells[3]})
        else:
            result.category = category
        if not cells[4]:
            result.errors.append(_("The wording is empty."))
        parsed.append(result)
    book.close()
    if not parsed:
        raise UploadError(_("The workbook has no rows."))
    return parsed
