import logging
import time
from argparse import ArgumentParser
from typing import Any

from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands import db_worker

from kraeftplan.health import DATABASE_UNAVAILABLE
from kraeftplan.tasks import requeue_stale_tasks

logger = logging.getLogger(__name__)
RECONNECT_SECONDS = 5


class Command(db_worker.Command):
    help = (
        "Run the task worker (django-tasks-db's db_worker), waiting out a database that is "
        "down instead of exiting, after putting back in the queue what a dead worker left "
        "RUNNING: tasks older than TASK_STALE_SECONDS, and, given a stable --worker-id (such as "
        "the container's host name), every task this worker id was running when it stopped."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(worker_id=None)

    def handle(self, *args: Any, **options: Any) -> None:
        given_id = options["worker_id"]
        options["worker_id"] = given_id or get_random_string(32)
        while True:
            try:
                # Also what this worker was running when the database went away.
                requeue_stale_tasks(timezone.now(), options["worker_id"] if given_id else None)
                super().handle(*args, **options)
                return
            except DATABASE_UNAVAILABLE as error:
                logger.warning("The database is unavailable (%s); trying again", error)
                close_old_connections()
                time.sleep(RECONNECT_SECONDS)
                given_id = options["worker_id"]
