"""Tasks whose worker died: django-tasks-db marks a task RUNNING when a worker claims it and
leaves it so if the worker is killed (kill -9, out of memory, a machine lost), so nothing would
run it again, and a PDF waiting for it (reports.models.ReportVersion.queue_pdf) would never be
queued anew. These go back to the queue; one that has cost three workers fails instead."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

MAX_ATTEMPTS = 3
LOST = "kraeftplan.tasks.WorkerLost"


def requeue_stale_tasks(now: datetime, worker_id: str | None = None) -> tuple[int, int]:
    """Put back in the queue the tasks RUNNING for longer than TASK_STALE_SECONDS, and those
    claimed last by worker_id (a worker starting again under its old id knows that what it was
    running has stopped). Returns (requeued, failed)."""
    limit = now - timedelta(seconds=settings.TASK_STALE_SECONDS)
    requeued = failed = 0
    with transaction.atomic():
        # Few rows: the tasks running right now. (SQLite cannot look inside worker_ids.)
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        for task in running:
            ours = bool(worker_id) and task.worker_ids[-1:] == [worker_id]
            if not ours and (task.started_at is None or task.started_at >= limit):
                continue
            if len(task.worker_ids) >= MAX_ATTEMPTS:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = LOST
                task.traceback = f"The worker was lost {len(task.worker_ids)} times running it."
                task.save(
                    update_fields=["status", "finished_at", "exception_class_path", "traceback"]
                )
                failed += 1
            else:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued += 1
    return requeued, failed
