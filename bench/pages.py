"""The public pages the benchmark reads, and each page's SQL count and size.

Usage:
  uv run python bench/pages.py urls PLAN_SLUG      one "name<TAB>url" line per page
  uv run python bench/pages.py queries PLAN_SLUG   a table: status, SQL queries, KiB, ms
The plan's own pages (plan, an initiative, budget, a target, its report) come from PLAN_SLUG;
the lists are the whole site's. Uses DJANGO_SETTINGS_MODULE and DATABASE_URL as set.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from fixtures.generate import public_pages  # noqa: E402
from initiatives.models import Plan  # noqa: E402


def main(mode: str, slug: str) -> None:
    pages = public_pages(Plan.objects.get(slug=slug))
    if mode == "urls":
        for name, url in pages.items():
            print(f"{name}\t{url}")
        return
    client = Client(HTTP_HOST="127.0.0.1")
    for url in pages.values():
        client.get(url)  # warm: first-request imports and caches are not the page's cost
    print("| page | url | status | SQL queries | KiB | ms (test client) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, url in pages.items():
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        size = len(response.content) if not response.streaming else 0
        print(
            f"| {name} | `{url}` | {response.status_code} | {len(queries)} | "
            f"{size / 1024:.0f} | {elapsed * 1000:.0f} |"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
