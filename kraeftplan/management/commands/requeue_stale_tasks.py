from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from kraeftplan.tasks import requeue_stale_tasks


class Command(BaseCommand):
    help = (
        "Put back in the queue the tasks left RUNNING by a worker that died (running longer "
        "than TASK_STALE_SECONDS); a task that lost three workers is marked failed."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        requeued, failed = requeue_stale_tasks(timezone.now())
        self.stdout.write(f"{requeued} requeued, {failed} failed")
