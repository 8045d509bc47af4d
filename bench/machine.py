"""What the benchmarks print about the machine they ran on (bench/fault.py, bench/phone.py,
bench/report.py): imported by the scripts, which run from the repository root as
`uv run python bench/<script>.py`, so that this folder is on the import path."""

import os
import platform
import re
from pathlib import Path


def cpu_model() -> str:
    found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    return found[1].strip() if found else platform.processor() or "?"


def memory_mib() -> int:
    found = re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
    return int(found[1]) // 1024 if found else 0


def summary() -> str:
    """One line: system, cores, CPU model and memory."""
    return (
        f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu_model()}), "
        f"{memory_mib()} MiB"
    )
