"""Render time and peak memory of an annual report's PDF (default: Kræftplan IV 2020).

Usage: uv run python bench/report_pdf.py [--plan SLUG] [--year YEAR] [--rounds N] [--limits]
e.g.   uv run python bench/report_pdf.py --plan gen-99x-1 --year 2025 --rounds 1
(needs the seeds loaded, and for gen-99x-1 `manage.py generate_data --scale 99 --prefix gen`;
SQLite by default, DATABASE_URL when set).

Each round builds the print HTML here, then renders the PDF in a forked child, as the worker
does (reports.pdf.render_pdf), but without its limits, so that a render over them is still
measured: the child's time (and CPU time, which the machine's other load changes less; the
child's CPU limit counts it), its peak resident memory (VmHWM) and its peak address space
(VmPeak, what RLIMIT_AS caps). With --limits, one more render goes through render_pdf itself
with the settings' PDF_RENDER_SECONDS and PDF_RENDER_MEMORY_BYTES and says whether it passed.
"""

import argparse
import multiprocessing
import os
import re
import resource
import sys
import time
from multiprocessing.connection import Connection
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.dev")

import django

django.setup()

from django.conf import settings  # noqa: E402

from reports.models import AnnualReport  # noqa: E402
from reports.pdf import (  # noqa: E402
    RenderLimitExceeded,
    _prepare_renderer,
    _write_pdf,
    render_pdf,
)
from reports.rendering import print_html  # noqa: E402


def _status_kib(field: str) -> int:
    found = re.search(rf"^{field}:\s+(\d+) kB", Path("/proc/self/status").read_text(), re.M)
    return int(found[1]) if found else 0


def _render(html: str, out: Connection) -> None:
    started = time.perf_counter()
    _prepare_renderer()  # as the worker's child does: WeasyPrint's import is part of its time
    imported = time.perf_counter()
    cpu_before = _cpu_seconds()
    pdf = _write_pdf(html)
    cpu = _cpu_seconds() - cpu_before
    done = time.perf_counter()
    out.send(
        (
            imported - started,
            done - imported,
            cpu,
            len(pdf),
            _status_kib("VmHWM"),
            _status_kib("VmPeak"),
        )
    )
    out.close()


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def render_in_child(html: str) -> tuple[float, float, float, int, int, int]:
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_render, args=(html, send))
    child.start()
    send.close()
    result = receive.recv()
    child.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", default="kraeftplan-iv")
    parser.add_argument("--year", type=int, default=2020)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--limits", action="store_true", help="also render with the limits")
    args = parser.parse_args()

    report = AnnualReport.objects.select_related("plan").get(plan__slug=args.plan, year=args.year)
    print(f"report: {report.title} ({args.plan} {args.year})")
    html_times, pdf_times = [], []
    for _ in range(args.rounds):
        started = time.perf_counter()
        html = print_html(report)
        html_times.append(time.perf_counter() - started)
        import_s, pdf_s, cpu_s, size, hwm, peak = render_in_child(html)
        pdf_times.append(pdf_s)
        print(
            f"  round: html {html_times[-1]:.2f} s, import {import_s:.2f} s, pdf {pdf_s:.2f} s "
            f"({cpu_s:.2f} s of CPU), peak RSS {hwm / 1024:.0f} MiB, "
            f"peak address space {peak / 1024:.0f} MiB"
        )
    print(f"print html: {len(html.encode()) / 1024:.0f} KiB, {html.count('<table')} tables")
    print(f"pdf size: {size / 1024:.0f} KiB")
    for name, times in (("html", html_times), ("pdf", pdf_times)):
        median = sorted(times)[len(times) // 2]
        print(f"{name}: best {min(times):.3f} s, median {median:.3f} s")
    if args.limits:
        seconds, memory = settings.PDF_RENDER_SECONDS, settings.PDF_RENDER_MEMORY_BYTES
        started = time.perf_counter()
        try:
            render_pdf(html)
            outcome = "rendered"
        except RenderLimitExceeded as error:
            outcome = f"over the limits: {error}"
        print(
            f"with the limits ({seconds} s, {memory / 1024**2:.0f} MiB address space): "
            f"{outcome} in {time.perf_counter() - started:.1f} s"
        )


if __name__ == "__main__":
    main()
