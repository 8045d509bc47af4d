"""Turn a bench/run results directory into the Markdown of bench/RESULTS.md.

Usage (bench/run calls it): uv run python bench/report.py WORKDIR SECONDS CONNECTIONS SCALE
"""

import json
import os
import platform
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import django
from machine import cpu_model, memory_mib


def ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def wrk(path: Path) -> dict:
    out = path.read_text()
    pct = {p: ms(v) for p, v in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", out, re.M)}
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),  # type: ignore[index]
        "requests": int(re.search(r"(\d+) requests in", out)[1]),  # type: ignore[index]
        "pct": pct,
        "errors": (int(non2xx[1]) if non2xx else 0)
        + (sum(map(int, socket.groups())) if socket else 0),
        "timeouts": int(socket[4]) if socket else 0,
        "restarted": "restarted" in out,
    }


def machine() -> list[str]:
    load = Path("/proc/loadavg").read_text().split()
    lines = Path("/etc/os-release").read_text().splitlines()
    os_release = dict(line.split("=", 1) for line in lines if "=" in line)
    database = os.environ.get("DATABASE_URL", "")
    engine = "PostgreSQL" if database.startswith("postgres") else "SQLite"
    version = subprocess.run(
        ["uv", "run", "python", "-c", _db_version], capture_output=True, text=True, check=False
    ).stdout.strip()
    commit = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; code: `{commit}`",
        f"- CPU: {os.cpu_count()} × {cpu_model()}",
        f"- RAM: {memory_mib() / 1024:.1f} GiB",
        f"- OS: {os_release.get('PRETTY_NAME', '?').strip(chr(34))}, kernel {platform.release()}",
        f"- Python {platform.python_version()}, Django {django.get_version()}",
        f"- Database: {engine} {version}",
        f"- Load average at the end (1, 5, 15 min): {' '.join(load[:3])} — the machine is "
        "shared, so other work may run beside the benchmark",
    ]


_db_version = (
    "import os, django;"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'kraeftplan.settings.prod');"
    "django.setup(); from django.db import connection; c = connection.cursor();"
    "c.execute('select sqlite_version()' if connection.vendor == 'sqlite'"
    " else 'show server_version');"
    "print(c.fetchone()[0])"
)


def timed(path: Path) -> tuple[str, list[str], str]:
    """(url, ["status s KiB", …], peak MiB) of a timed_get file."""
    lines = path.read_text().split("\n")
    url, gets, peak, waited = lines[0], [], "?", ""
    for line in lines[1:]:
        if line.startswith("peak "):
            peak = f"{int(line.split()[1]) / 1024:.0f}"
        elif line.startswith("rendered "):
            # The first request queued the PDF; the worker stored it (or not) before the second.
            took = line.split()[1]
            waited = (
                " (not rendered within 180 s)"
                if took == "none"
                else f" (after the worker rendered it, {took} s after the first request)"
            )
        elif line.strip() and line != "restarted":
            status, seconds, size = line.split()
            gets.append(f"{status}, {float(seconds):.2f} s, {int(size) / 1024:.0f} KiB{waited}")
    return url, gets, peak


def main(work: Path, seconds: str, connections: str, scale: str) -> None:
    labels = ["1x", f"{scale}x"]
    print("# Benchmark results\n")
    print(
        "Produced by `bench/run` (see its header), on the code named below. gunicorn with 2 "
        "sync workers and production settings, the page store in files, the task worker beside "
        "it (its queue emptied before the load); wrk with 2 threads, "
        f"{connections} connections, {seconds} s per URL, on loopback, asking for gzip as a "
        "browser does (the static file and the pages alike). Under load the pages come from the "
        "page store; the single-request times (`bench/pages.py`) are the first request after "
        "a public change, with the store emptied. "
        f"1× is the seeds; {scale}× is the seeds plus {int(scale) - 1}× generated data "
        "(`manage.py generate_data`, fixtures/generate.py), and its plan pages are those of the "
        "largest generated plan.\n"
    )
    print("## Machine\n")
    print("\n".join(machine()) + "\n")
    generated = (work / "generated.txt").read_text().strip().splitlines()
    print(f"## Data at {scale}×\n")
    print("Generated on top of the seeds: " + generated[0] + "\n")
    print(", ".join(line.strip() for line in generated[1:]) + "\n")

    results = {}
    for label in labels:
        d = work / label
        pages = json.loads((d / "pages.json").read_text())
        rows = []
        for n, line in enumerate((d / "load.tsv").read_text().splitlines(), start=1):
            name, url = line.split("\t")
            rows.append((name, url, wrk(d / f"wrk_{n}.txt"), pages.get(name)))
        results[label] = rows

    for label in labels:
        rows = results[label]
        static = rows[0][2]["rps"]
        print(f"## Public pages at {label.replace('x', '×')}\n")
        print(
            "| page | url | req/s | % of static | p50 ms | p99 ms | errors | SQL | KiB |\n"
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        )
        for name, url, w, page in rows:
            flag = " (server restarted after)" if w["restarted"] else ""
            sql = page["queries"] if page else "–"
            size = f"{page['bytes'] / 1024:.0f}" if page else "–"
            print(
                f"| {name} | `{url}` | {w['rps']:.1f} | {100 * w['rps'] / static:.1f} | "
                f"{w['pct']['50']:.0f} | {w['pct']['99']:.0f} | {w['errors']}{flag} | {sql} | "
                f"{size} |"
            )
        print()

    print(f"## 1× against {scale}×\n")
    big = f"{scale}×"
    print(
        "One request at a time through the test client (`bench/pages.py`, after a warm-up) is "
        "the page's own time; under load with few completed requests wrk's percentiles are cut "
        "off at the run's length, so compare req/s there.\n"
    )
    print(
        f"| page | ms 1× | ms {big} | ratio | req/s 1× | req/s {big} | p99 ms 1× | p99 ms {big} | "
        f"SQL 1× | SQL {big} | KiB 1× | KiB {big} |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    )
    small = {name: (w, page) for name, _url, w, page in results[labels[0]]}
    over = over99 = 0
    for name, _url, w, page in results[labels[1]][1:]:
        w1, page1 = small[name]
        ratio = page["ms"] / page1["ms"] if page1["ms"] else 0
        ratio99 = w["pct"]["99"] / w1["pct"]["99"] if w1["pct"]["99"] else 0
        over += ratio > 2
        over99 += ratio99 > 2
        print(
            f"| {name} | {page1['ms']} | {page['ms']} | {ratio:.1f} | {w1['rps']:.1f} | "
            f"{w['rps']:.1f} | {w1['pct']['99']:.0f} | {w['pct']['99']:.0f} | "
            f"{page1['queries']} | {page['queries']} | {page1['bytes'] / 1024:.0f} | "
            f"{page['bytes'] / 1024:.0f} |"
        )
    n = len(results[labels[1]]) - 1
    print(
        f"\n{over} of {n} pages take over 2× the seeds' time for one request, {over99} have a "
        "p99 under load over 2× (the issue's goal: p95 within 2×; wrk prints p50/75/90/99).\n"
    )

    print("## Data zip, report PDF, memory\n")
    print("| size | what | first request | second request | peak RSS of the web processes, MiB |")
    print("| --- | --- | --- | --- | ---: |")
    for label in labels:
        d = work / label
        for path in [d / "zip.txt", *sorted(d.glob("pdf_*.txt"))]:
            url, gets, peak = timed(path)
            print(f"| {label.replace('x', '×')} | `{url}` | {' | '.join(gets)} | {peak} |")
    print("\nEach as `status, seconds, size` (status 000: no answer within 120 s).\n")
    print("| size | processes | RSS total MiB | largest MiB | count |")
    print("| --- | --- | ---: | ---: | ---: |")
    for label in labels:
        d = work / label
        for kind in ("web", "worker"):
            path = d / f"rss_{kind}.txt"
            if path.exists():
                total, largest, count = map(int, path.read_text().split())
                print(
                    f"| {label.replace('x', '×')} | {kind} (after the page runs) | "
                    f"{total / 1024:.0f} | {largest / 1024:.0f} | {count} |"
                )
    if not any((work / label / "rss_worker.txt").exists() for label in labels):
        print("\nNo tasks worker in this code (no `db_worker` command): only web processes.")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.prod")
    main(Path(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4])
