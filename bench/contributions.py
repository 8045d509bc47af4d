"""Response times and query counts of the contributor pages, on generated plans of 1× and 10×
the size of Kræftplan IV, each with an approved contribution per organisation and a proposed case
on every measure. Everything is created in a transaction that is rolled back at the end.

Usage: uv run python bench/contributions.py [ROUNDS]   (needs the seeds loaded; SQLite by default)
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.dev")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from contributions.models import ReportingRound  # noqa: E402
from tests.builders import approve_all, make_large_plan  # noqa: E402


def _prepare(scale: int, staff):
    plan = make_large_plan(scale=scale, slug=f"bench-{scale}", start_year=2100 + 10 * scale)
    round_ = ReportingRound.open(plan, plan.end_year, date.today() + timedelta(days=30))
    return plan, round_, approve_all(round_, staff)


def _measure(client, url, rounds):
    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            times.append(time.perf_counter() - started)
        assert response.status_code == 200, (url, response.status_code)
    return sorted(times)[len(times) // 2], len(queries), len(response.content)


def main(rounds: int) -> None:
    with transaction.atomic():
        staff = get_user_model().objects.create_user("bench-staff", is_staff=True)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(staff)
        print(f"{'page':<28}{'scale':>6}{'measures':>10}{'median ms':>11}{'queries':>9}{'KiB':>7}")
        for scale in (1, 10):
            plan, round_, largest = _prepare(scale, staff)
            measures = sum(1 for _ in round_.consolidation())
            pages = {
                "open a round": f"/bidrag/runder/ny/?plan={plan.slug}",
                "round overview": f"/bidrag/runder/{round_.pk}/",
                "consolidation": f"/bidrag/runder/{round_.pk}/konsolider/",
                "largest contribution": f"/bidrag/{largest.pk}/",
            }
            for name, url in pages.items():
                median, queries, size = _measure(client, url, rounds)
                print(
                    f"{name:<28}{scale:>6}{measures:>10}{median * 1000:>11.0f}"
                    f"{queries:>9}{size / 1024:>7.0f}"
                )
        transaction.set_rollback(True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
