"""Render time and peak memory of the Kræftplan IV 2020 report PDF.

Usage: uv run python bench/report_pdf.py [ROUNDS]   (needs the seeds loaded; SQLite by default)
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.dev")

import django

django.setup()

from reports.models import AnnualReport  # noqa: E402
from reports.pdf import _write_pdf  # noqa: E402
from reports.rendering import print_html  # noqa: E402


def main(rounds: int) -> None:
    report = AnnualReport.objects.get(plan__slug="kraeftplan-iv", year=2020)
    html_times, pdf_times = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        html = print_html(report)
        html_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        pdf = _write_pdf(html)  # in this process, so that its memory is measured
        pdf_times.append(time.perf_counter() - started)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"report: {report.title}")
    print(f"pdf size: {len(pdf) / 1024:.0f} KiB")
    for name, times in (("html", html_times), ("pdf", pdf_times)):
        median = sorted(times)[len(times) // 2]
        print(f"{name}: best {min(times):.3f} s, median {median:.3f} s")
    print(f"peak memory (whole process): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
