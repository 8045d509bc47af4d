"""The zip of all public data (/data/kraeftplan-data.zip): built by a task when what the public
sees changes, kept in the published storage (kraeftplan.files), and served from there."""

import csv
import io
import zipfile
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult, get_date_max

from kraeftplan.downloads import BOM, EXCEL_DELIMITER, neutralise
from kraeftplan.files import published_storage, store_atomically

from .resources import RESOURCES, Field, Resource

STORED_NAME = "opendata/kraeftplan-data.zip"
# Every member gets the same time, so the same data makes the same bytes (and the same ETag).
MEMBER_TIME = (2000, 1, 1, 0, 0, 0)
# The same files for Danish Excel (kraeftplan.downloads): BOM, semicolons, decimal comma.
EXCEL_FOLDER = "excel/"


def _writer(out: io.StringIO, excel: bool) -> Any:
    if excel:
        out.write(BOM)
        return csv.writer(out, delimiter=EXCEL_DELIMITER, lineterminator="\r\n")
    return csv.writer(out, lineterminator="\n")


def _value(value: object, field: Field, excel: bool) -> object:
    if value is None:
        return ""
    if field.type == "string":
        return neutralise(value)
    if field.type == "decimal" and excel:
        # The API's exact decimal ("0.6", see Resource.row) with the Danish decimal sign.
        return str(value).replace(".", ",")
    return value


def _csv_text(resource: Resource, *, excel: bool = False) -> str:
    out = io.StringIO()
    writer = _writer(out, excel)
    fields = resource.csv_fields()
    writer.writerow([f.name for f in fields])
    for obj in resource.queryset():
        row = resource.row(obj)
        writer.writerow([_value(row[f.name], f, excel) for f in fields])
    return out.getvalue()


def data_dictionary(*, excel: bool = False) -> str:
    out = io.StringIO()
    writer = _writer(out, excel)
    writer.writerow(["fil", "kolonne", "type", "beskrivelse"])
    for resource in RESOURCES:
        writer.writerow([f"{resource.name}.csv", "", "", str(resource.title)])
        for f in resource.csv_fields():
            writer.writerow([f"{resource.name}.csv", f.name, f.type, str(f.description)])
    return out.getvalue()


README = """Kræftplan-portalen – alle offentlige data

Kun offentliggjort materiale er med: status for et år er med, når årets statusrapport er
offentliggjort. Beløb er i mio. kr. og gengivet præcis som offentliggjort. datadictionary.csv
beskriver hver fil og kolonne på dansk. Kolonnenavnene er de samme som felternes navne i
API'et (korte engelske navne som plan, year og amount); indholdet er på dansk som offentliggjort.

Filerne findes i to udgaver med samme indhold:

- I roden: CSV til programmer (R, Python, regneark der importerer CSV): UTF-8 uden BOM, komma
  som skilletegn, punktum som decimaltegn (0.6), som i API'et.
- I mappen excel/: de samme filer til dansk Excel, der åbner dem med et dobbeltklik: UTF-8 med
  BOM, semikolon som skilletegn, komma som decimaltegn (0,6).

Tallene er de samme i begge udgaver; kun decimaltegnet er forskelligt.
"""


def build() -> bytes:
    """The zip of every public resource as CSV twice (for programs, and in excel/ for Danish
    Excel), the data dictionary and a read-me. Always in Danish, whoever's request builds it:
    the read-me and the descriptions speak one language (the column names are the API's field
    names)."""
    buffer = io.BytesIO()
    with (
        translation.override(settings.LANGUAGE_CODE),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):

        def add(name: str, text: str) -> None:
            member = zipfile.ZipInfo(name, date_time=MEMBER_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, text)

        add("LAESMIG.txt", README)
        for excel, folder in ((False, ""), (True, EXCEL_FOLDER)):
            add(f"{folder}datadictionary.csv", data_dictionary(excel=excel))
            for resource in RESOURCES:
                add(f"{folder}{resource.name}.csv", _csv_text(resource, excel=excel))
    return buffer.getvalue()


@task
def build_data_zip() -> None:
    """Rebuild the stored zip; a build that fails keeps the previous file."""
    store_atomically(STORED_NAME, build())


def ensure_built() -> None:
    """Build the zip now if none is stored yet (a fresh install, before the worker ran)."""
    if not published_storage().exists(STORED_NAME):
        store_atomically(STORED_NAME, build())


# What the zip holds that is public the moment it is saved (a year's statuses, cases and texts
# become public by publication, which queues its own rebuild).
ALWAYS_PUBLIC = [
    "initiatives.Plan",
    "initiatives.MainElement",
    "initiatives.Initiative",
    "initiatives.Measure",
    "initiatives.Responsibility",
    "initiatives.Finding",
    "accounts.Organisation",
    "budget.BudgetLine",
    "budget.BudgetAmount",
    "targets.NationalTarget",
    "targets.Indicator",
    "targets.Measurement",
]


def rebuild_after_edit(sender: object, raw: bool = False, **kwargs: object) -> None:
    """post_save/post_delete of an ALWAYS_PUBLIC model: queue a rebuild (not for loaddata,
    after which load_seeds builds the zip itself)."""
    if not raw:
        queue_rebuild()


def queue_rebuild(public_from: datetime | None = None, **kwargs: object) -> None:
    """Queue a rebuild, and one at public_from when the data becomes public later (an
    embargo); a rebuild already waiting is enough. The task row is written in the caller's
    transaction (the queue is in the same database), so it exists exactly when the change it
    rebuilds for is committed, and the worker cannot run it before."""
    waiting = DBTaskResult.objects.filter(
        task_path=build_data_zip.module_path, status=TaskResultStatus.READY
    )
    if not waiting.filter(Q(run_after=get_date_max()) | Q(run_after__lte=timezone.now())).exists():
        build_data_zip.enqueue()
    if (
        public_from is not None
        and public_from > timezone.now()
        and not waiting.filter(run_after=public_from).exists()
    ):
        build_data_zip.using(run_after=public_from).enqueue()
