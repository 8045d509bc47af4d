"""The zip of all public data (/data/kraeftplan-data.zip): built by a task when what the public
sees changes, kept in the published storage (kraeftplan.files), and served from there."""

import csv
import io
import zipfile
from datetime import datetime

from django.db.models import Q
from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from kraeftplan.downloads import neutralise
from kraeftplan.files import published_storage, store_atomically

from .resources import RESOURCES, Resource

STORED_NAME = "opendata/kraeftplan-data.zip"
# Every member gets the same time, so the same data makes the same bytes (and the same ETag).
MEMBER_TIME = (2000, 1, 1, 0, 0, 0)


def _csv_text(resource: Resource) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    fields = resource.csv_fields()
    writer.writerow([f.name for f in fields])
    for obj in resource.queryset():
        row = resource.row(obj)
        writer.writerow(
            [
                ""
                if row[f.name] is None
                else neutralise(row[f.name])
                if f.type == "string"
                else row[f.name]
                for f in fields
            ]
        )
    return out.getvalue()


def data_dictionary() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["fil", "kolonne", "type", "beskrivelse"])
    for resource in RESOURCES:
        writer.writerow([f"{resource.name}.csv", "", "", str(resource.title)])
        for f in resource.csv_fields():
            writer.writerow([f"{resource.name}.csv", f.name, f.type, str(f.description)])
    return out.getvalue()


README = """Kræftplan-portalen – alle offentlige data

Filerne er CSV (UTF-8, komma som skilletegn, punktum som decimaltegn). Beløb er i mio. kr.
og gengivet præcis som offentliggjort. Kun offentliggjort materiale er med: status for et år
er med, når årets statusrapport er offentliggjort. datadictionary.csv beskriver hver kolonne.
"""


def build() -> bytes:
    """The zip of every public resource as CSV, the data dictionary and a read-me."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def add(name: str, text: str) -> None:
            member = zipfile.ZipInfo(name, date_time=MEMBER_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, text)

        add("LAESMIG.txt", README)
        add("datadictionary.csv", data_dictionary())
        for resource in RESOURCES:
            add(f"{resource.name}.csv", _csv_text(resource))
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
