"""The fault run behind bench/fault (see there). Not a test: it prints what it saw, as Markdown.

Each fault has three phases of load: before, during (the fault) and after (the part is back).
A probe (PROBE_THREADS threads asking the public pages in turn) counts every status per phase
while wrk adds load on the front page; "recovered" means the after phase ended with only 200s,
/healthz answered 200 and the web and worker processes are the ones started at the beginning.
"""

import contextlib
import hashlib
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import psycopg
from machine import summary

ROOT = Path(__file__).resolve().parent.parent
PORT = int(os.environ.get("FAULT_PORT", "8821"))
PG_PORT = int(os.environ.get("FAULT_PG_PORT", "8827"))
REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "8828"))
BASE = f"http://127.0.0.1:{PORT}"
PAGES = [
    "/",
    "/planer/",
    "/initiativer/",
    "/maal/",
    "/budget/kraeftplan-iv/",
    "/api/v1/initiativer/",
]
PROBE_THREADS = 6
STORED, NEW = "stored pages", "new address"
BEFORE, DURING, AFTER = 5.0, 8.0, 12.0
PGBIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
WORK = Path(tempfile.mkdtemp(prefix="kraeftplan-fault-"))
DB_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/kraeftplan"


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "kraeftplan.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(64),
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "DATABASE_URL": DB_URL,
    "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
    "MEDIA_ROOT": str(WORK / "media"),
    "RELEASE": "fault-run",
    "LOG_LEVEL": "WARNING",
}


# --- The parts ------------------------------------------------------------------------------


def as_postgres(*command: str | Path) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *map(str, command)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def pg_ctl(action: str, *extra: str) -> None:
    as_postgres(
        PGBIN / "pg_ctl",
        "-D",
        WORK / "pg" / "data",
        "-l",
        WORK / "pg" / "server.log",
        "-w",
        action,
        *extra,
    )


def start_postgres() -> None:
    (WORK / "pg").mkdir()
    shutil.chown(WORK / "pg", "postgres", "postgres")
    os.chmod(WORK, 0o755)
    as_postgres(
        PGBIN / "initdb",
        "-D",
        WORK / "pg" / "data",
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C.UTF-8",
    )
    pg_ctl(
        "start",
        "-o",
        f"-c listen_addresses=127.0.0.1 -p {PG_PORT} -k {WORK / 'pg'} "
        "-c fsync=off -c synchronous_commit=off",
    )
    subprocess.run(
        [PGBIN / "createdb", "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres", "kraeftplan"],
        check=True,
    )


def start_redis() -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(REDIS_PORT),
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        if (
            subprocess.run(
                ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
            ).stdout.strip()
            == "PONG"
        ):
            return process
        time.sleep(0.1)
    raise RuntimeError("redis did not start")


def manage(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def start_web() -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kraeftplan.wsgi:application",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--workers",
            "2",
            "--preload",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            str(WORK / "gunicorn.log"),
        ],
        cwd=ROOT,
        env=ENV,
        stdout=(WORK / "gunicorn.out").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    wait_for(lambda: status("/healthz") == 200, 60, "gunicorn did not start")
    return process


def start_worker() -> subprocess.Popen[bytes]:
    log = (WORK / "worker.log").open("a")
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "worker",
            "--no-reload",
            "--worker-id",
            "fault-worker",
            "--interval",
            "0.5",
        ],
        cwd=ROOT,
        env=ENV,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def alive(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is None


# --- Looking ---------------------------------------------------------------------------------


def status(path: str, timeout: float = 10) -> int:
    try:
        with urllib.request.urlopen(BASE + path, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as error:
        error.read()
        return int(error.code)
    except OSError:
        return 0  # no answer at all: refused, reset or timed out


def wait_for(condition, seconds: float, message: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    raise RuntimeError(message)


def query(sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(DB_URL, connect_timeout=3) as db:
        return db.execute(sql, params).fetchall()


def published_files() -> dict[str, str]:
    """Every file the portal built (data zip, report PDFs) with its SHA-256."""
    media = WORK / "media"
    return {
        str(path.relative_to(media)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(media.rglob("*"))
        if path.is_file() and ".tmp" not in path.name
    }


class Probe:
    """Threads that ask the public pages in turn and count the statuses per phase: the pages
    the page cache holds, and, every third request, a page at an address of its own (a query
    string never asked before), which the store cannot hold and which needs the database."""

    def __init__(self) -> None:
        self.phase = "before"
        self.counts: dict[tuple[str, str], Counter[int]] = {}
        self.last: list[int] = []
        self.lock = threading.Lock()
        self.running = True
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(PROBE_THREADS)]

    def run(self, offset: int) -> None:
        n = offset
        while self.running:
            if n % 3 == 0:
                kind, path = NEW, f"/planer/?probe={offset}-{n}-{time.monotonic_ns()}"
            else:
                kind, path = STORED, PAGES[n % len(PAGES)]
            code = status(path)
            n += 1
            with self.lock:
                self.counts.setdefault((self.phase, kind), Counter())[code] += 1
                if self.phase == "after":
                    self.last = [*self.last[-29:], code]

    def __enter__(self) -> "Probe":
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()


def wrk(seconds: float) -> subprocess.Popen[str]:
    return subprocess.Popen(
        ["wrk", "-t2", "-c16", f"-d{int(seconds)}s", "--timeout", "10s", BASE + "/"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wrk_summary(output: str) -> str:
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return (
        (f"{float(rate[1]):.0f} req/s" if rate else "?")
        + (f", {non2xx[1]} non-2xx" if non2xx else ", 0 non-2xx")
        + (f", socket errors: {errors[1]}" if errors else "")
    )


# --- The faults ------------------------------------------------------------------------------


def run_fault(name: str, fault, repair, web, worker_holder) -> dict[str, object]:
    say(f"fault: {name}")
    files_before = published_files()
    load = wrk(BEFORE + DURING + AFTER)
    with Probe() as probe:
        time.sleep(BEFORE)
        probe.phase = "during"
        notes = fault() or {}
        time.sleep(DURING)
        notes.update(repair() or {})
        probe.phase = "after"
        time.sleep(AFTER)
    output = load.communicate()[0]
    health = status("/healthz")
    last = probe.last
    recovered = bool(last) and all(code == 200 for code in last[-10:]) and health == 200
    files_after = published_files()
    lost = sorted(set(files_before) - set(files_after))
    notes.update(
        {
            "wrk (whole run, front page)": wrk_summary(output),
            "/healthz afterwards": health,
            "web processes restarted": "no" if alive(web) else "yes (it died)",
            "worker alive": "yes" if alive(worker_holder[0]) else "no",
            "published files before / after / lost": f"{len(files_before)} / {len(files_after)} / "
            f"{', '.join(lost) or 'none'}",
        }
    )
    return {"name": name, "counts": probe.counts, "recovered": recovered, "notes": notes}


def health_during() -> dict[str, object]:
    try:
        with urllib.request.urlopen(BASE + "/healthz", timeout=5) as response:
            return {"/healthz during": f"{response.status} {response.read().decode()}"}
    except urllib.error.HTTPError as error:
        return {"/healthz during": f"{error.code} {error.read().decode()}"}


def postgres_restart() -> tuple:
    def fault() -> dict[str, object]:
        pg_ctl("stop", "-m", "fast")
        time.sleep(1)
        return health_during()

    def repair() -> dict[str, object]:
        pg_ctl(
            "start",
            "-o",
            f"-c listen_addresses=127.0.0.1 -p {PG_PORT} -k {WORK / 'pg'} "
            "-c fsync=off -c synchronous_commit=off",
        )
        return {}

    return fault, repair


def redis_stop(redis_holder: list[subprocess.Popen[bytes]]) -> tuple:
    def fault() -> dict[str, object]:
        redis_holder[0].terminate()
        redis_holder[0].wait()
        time.sleep(1)
        return health_during()

    def repair() -> dict[str, object]:
        redis_holder[0] = start_redis()
        return {}

    return fault, repair


def worker_kill(worker_holder: list[subprocess.Popen[bytes]]) -> tuple:
    state: dict[str, object] = {}

    def fault() -> dict[str, object]:
        version = query("SELECT id FROM reports_reportversion ORDER BY id LIMIT 1")[0][0]
        pdf = WORK / "media" / "reports" / f"version-{version}.pdf"
        state["pdf"], state["mtime"] = pdf, pdf.stat().st_mtime_ns
        manage(
            "shell",
            "-c",
            f"from reports.models import render_version_pdf; render_version_pdf.enqueue({version})",
        )
        waited = wait_for(
            lambda: (
                query(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status = 'RUNNING' AND task_path LIKE %s",
                    "%render_version_pdf",
                )[0][0]
                == 1
            ),
            30,
            "the render did not start",
        )
        time.sleep(0.5)  # inside WeasyPrint now
        os.killpg(worker_holder[0].pid, signal.SIGKILL)  # the worker and its renderer
        worker_holder[0].wait()
        time.sleep(0.5)
        left = query(
            "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s "
            "ORDER BY enqueued_at DESC LIMIT 1",
            "%render_version_pdf",
        )[0][0]
        return {
            "killed": f"{waited + 0.5:.1f} s after the render task was queued, with "
            f"SIGKILL to the worker's process group (worker and renderer)",
            "the render task after the kill": left,
            "PDF still served during": status("/rapporter/kraeftplan-iv/2020.pdf"),
        }

    def repair() -> dict[str, object]:
        worker_holder[0] = start_worker()
        pdf = state["pdf"]
        assert isinstance(pdf, Path)
        took = wait_for(
            lambda: pdf.stat().st_mtime_ns != state["mtime"], 120, "the PDF was not rendered again"
        )
        final = query(
            "SELECT status, jsonb_array_length(worker_ids) FROM "
            "django_tasks_database_dbtaskresult WHERE task_path LIKE %s "
            "ORDER BY enqueued_at DESC LIMIT 1",
            "%render_version_pdf",
        )[0]
        return {
            "PDF rendered again after the worker started": f"{took:.1f} s",
            "the render task at the end": f"{final[0]}, claimed {final[1]} times",
        }

    return fault, repair


# --- Report ----------------------------------------------------------------------------------


def machine() -> str:
    versions = {
        "PostgreSQL": subprocess.run(
            [PGBIN / "postgres", "--version"], capture_output=True, text=True
        ).stdout.split()[2],
        "Redis": re.search(
            r"v=(\S+)",
            subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout,
        )[1],
        "Python": platform.python_version(),
    }
    return summary() + "; " + ", ".join(f"{k} {v}" for k, v in versions.items())


def report(results: list[dict[str, object]], setup: dict[str, object]) -> None:
    print("# Fault run\n")
    print(
        f"`bench/fault`, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}. Machine: "
        f"{machine()}.\n"
    )
    print(
        "The portal under gunicorn (2 workers, `--preload`, production settings) on its own "
        "PostgreSQL, with a local Redis as the page cache and `manage.py worker`, seeds "
        f"loaded. Load: wrk (2 threads, 16 connections) on `/` and a probe of {PROBE_THREADS} "
        "threads asking " + ", ".join(f"`{p}`" for p in PAGES) + " in turn (stored "
        "pages) and, every third request, `/planer/?probe=<unique>` (a new address: never "
        "in the page cache, so it needs the database), counting every status. "
        f"Phases: before {BEFORE:.0f} s, during the fault {DURING:.0f} s, after the "
        f"repair {AFTER:.0f} s. Status 0 = no answer (refused, reset, timed out).\n"
    )
    for key, value in setup.items():
        print(f"- {key}: {value}")
    print()
    for result in results:
        print(f"## {result['name']}\n")
        print("| phase | pages | 200 | 503 | other | total |")
        print("| --- | --- | ---: | ---: | ---: | ---: |")
        counts = result["counts"]
        assert isinstance(counts, dict)
        for phase in ("before", "during", "after"):
            for kind in (STORED, NEW):
                c = counts.get((phase, kind), Counter())
                other = sum(v for k, v in c.items() if k not in (200, 503))
                others = ", ".join(f"{k}: {v}" for k, v in sorted(c.items()) if k not in (200, 503))
                print(
                    f"| {phase} | {kind} | {c[200]} | {c[503]} | "
                    f"{other}{f' ({others})' if others else ''} | {sum(c.values())} |"
                )
        print(f"\n**Recovered without a restart: {'yes' if result['recovered'] else 'NO'}**\n")
        notes = result["notes"]
        assert isinstance(notes, dict)
        for key, value in notes.items():
            print(f"- {key}: {value}")
        print()


def main() -> None:
    redis_holder: list[subprocess.Popen[bytes]] = []
    worker_holder: list[subprocess.Popen[bytes]] = []
    web = None
    try:
        say(f"work directory {WORK}")
        start_postgres()
        redis_holder.append(start_redis())
        say("migrate, seeds, static files")
        manage("compilemessages", "--ignore=.venv", "-v0")
        manage("migrate", "-v0")
        manage("load_seeds")
        manage("collectstatic", "--noinput", "-v0")
        worker_holder.append(start_worker())
        say("waiting for the worker to build the zip and the PDFs")
        took = wait_for(
            lambda: (
                not query(
                    "SELECT 1 FROM django_tasks_database_dbtaskresult "
                    "WHERE status IN ('READY', 'RUNNING')"
                )
            ),
            600,
            "tasks did not finish",
        )
        failed = query(
            "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'FAILED'"
        )
        web = start_web()
        for page in PAGES:
            status(page)  # fill the page cache
        setup = {
            "published files built by the worker at the start": f"{len(published_files())} in "
            f"{took:.0f} s ({', '.join(published_files())}); failed tasks: {len(failed)}",
        }
        results = [
            run_fault(
                f"(a) PostgreSQL restarted during load (stopped for {DURING:.0f} s, then started)",
                *postgres_restart(),
                web,
                worker_holder,
            ),
            run_fault(
                f"(b) Redis stopped during load ({DURING:.0f} s, then started)",
                *redis_stop(redis_holder),
                web,
                worker_holder,
            ),
            run_fault(
                "(c) The worker killed (SIGKILL) while it renders a report PDF, then started again",
                *worker_kill(worker_holder),
                web,
                worker_holder,
            ),
        ]
        report(results, setup)
    finally:
        for process in [web, *worker_holder]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        for process in redis_holder:
            process.terminate()
        if (WORK / "pg" / "data").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl("stop", "-m", "immediate")
        if os.environ.get("FAULT_KEEP"):
            say(f"kept {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
