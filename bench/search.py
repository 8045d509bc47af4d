"""Time of the site search (/soeg/) on the database in DATABASE_URL (SQLite's db.sqlite3 when
unset): for each word, the overview (every kind's first results and counts, what /soeg/?q=
shows) and one kind in full (?vis=), as the median of ROUNDS runs in this process, with the
number of SQL queries and results. The request's HTML is left out: this measures the search.

Usage: uv run python bench/search.py [--rounds N] [WORD …]
e.g.   DATABASE_URL=sqlite:////tmp/h100.sqlite3 uv run python bench/search.py
(for 100 times the data: `manage.py generate_data --scale 100` on a database with the seeds)
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.dev")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from search.queries import KINDS_BY_KEY, hits, matching, overview  # noqa: E402

# A status wording (the benchmark's page), the commonest word, a rarer one, two words, and a
# word found deep in a report's text only.
WORDS = ["tidsplanen", "kræft", "screening", "patienter tid", "rygestopdeltagerne"]


def timed(function, words, rounds):
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = function(words)
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def all_statuses(words):
    statuses = KINDS_BY_KEY["status"]
    return hits(statuses, list(matching(statuses, words)[:50]), words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("words", nargs="*", default=WORDS)
    options = parser.parse_args()
    statuses = KINDS_BY_KEY["status"]
    print(f"{connection.vendor}, {statuses.rows().count()} public statuses\n")
    print("| search | results | overview ms | queries | all statuses (?vis=status) ms |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for text in options.words:
        words = text.split()
        overview(words)  # warm the caches once
        with CaptureQueriesContext(connection) as queries:
            seconds, groups = timed(overview, words, options.rounds)
        count = len(queries.captured_queries) // options.rounds
        total = sum(group.total for group in groups)
        one_kind, _ = timed(all_statuses, words, options.rounds)
        print(f"| {text} | {total} | {seconds * 1000:.0f} | {count} | {one_kind * 1000:.0f} |")


if __name__ == "__main__":
    main()
