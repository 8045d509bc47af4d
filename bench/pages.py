"""The public pages the benchmark reads, and each page's SQL count and size.

Usage:
  uv run python bench/pages.py urls PLAN_SLUG      one "name<TAB>url" line per page
  uv run python bench/pages.py queries PLAN_SLUG   a table: status, SQL queries, KiB, ms
  uv run python bench/pages.py json PLAN_SLUG      the same as JSON
The plan's own pages (plan, an initiative, budget, a target, its report) come from PLAN_SLUG;
the lists are the whole site's. Uses DJANGO_SETTINGS_MODULE and DATABASE_URL as set.
"""

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from fixtures.generate import public_pages  # noqa: E402
from initiatives.models import Plan  # noqa: E402


def measure(pages: dict[str, str]) -> dict[str, dict[str, object]]:
    client = Client(HTTP_HOST="127.0.0.1")
    for url in pages.values():
        client.get(url)  # warm: first-request imports and caches are not the page's cost
    found = {}
    for name, url in pages.items():
        # The first request after a public edit is the one to measure: nothing stored yet.
        caches[settings.KRAEFTPLAN_PAGE_CACHE].clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        body = b"".join(response.streaming_content) if response.streaming else response.content
        found[name] = {
            "url": url,
            "status": response.status_code,
            "queries": len(queries),
            "bytes": len(body),
            "ms": round(elapsed * 1000),
        }
    return found


def main(mode: str, slug: str) -> None:
    pages = public_pages(Plan.objects.get(slug=slug))
    if mode == "urls":
        for name, url in pages.items():
            print(f"{name}\t{url}")
        return
    found = measure(pages)
    if mode == "json":
        print(json.dumps(found, indent=1))
        return
    print("| page | url | status | SQL queries | KiB | ms (test client) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for name, row in found.items():
        print(
            f"| {name} | `{row['url']}` | {row['status']} | {row['queries']} | "
            f"{int(row['bytes']) / 1024:.0f} | {row['ms']} |"
        )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
