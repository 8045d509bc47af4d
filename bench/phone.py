"""The chart pages on a throttled phone: Chromium (Playwright, Debian's chromium) at 390×844 with
the CPU slowed 4× and a slow 4G network (CDP), printing for the home page, a plan's budget and a
national target the time to first contentful paint, the time until the first chart's SVG is on
screen, the load event, the bytes transferred and the scripts that block in <head>.

Usage: uv run python bench/phone.py [BASE_URL] [RUNS]
Without BASE_URL it serves the portal itself: gunicorn (2 workers, production settings) on
BENCH_PORT (default 8841) with a fresh SQLite database holding the seeds, in a temporary
directory it removes afterwards; with BENCH_SCALE=N (N > 1) it adds N-1 times the seeds'
size of generated plans (manage.py generate_data) and also loads the largest one's budget.
Each run is a fresh browser context (an empty cache); the figures are the median over RUNS
(default 3). bench/PHONE.md holds the last results.
"""

import os
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager, suppress
from pathlib import Path

from machine import summary
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CPU_SLOWDOWN = 4
SCALE = int(os.environ.get("BENCH_SCALE", "1"))
# Lighthouse's "slow 4G" (its mobile default): 150 ms round trip, 1,6 Mbit/s down, 750 kbit/s up.
NETWORK = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6 * 1024 * 1024 / 8,
    "uploadThroughput": 750 * 1024 / 8,
}
# Before the page's own scripts: note when the first chart's <svg> first has a size on screen
# (checked once per frame; a server-side SVG is there at the first paint, a drawn one later).
WATCH_CHART = """
window.__chartVisible = null;
(function watch() {
  const svg = document.querySelector(".kp-chart svg");
  if (svg) {
    const box = svg.getBoundingClientRect();
    if (box.width > 0 && box.height > 0) { window.__chartVisible = performance.now(); return; }
  }
  requestAnimationFrame(watch);
})();
"""
MEASURE = """() => {
  const paint = performance.getEntriesByName("first-contentful-paint")[0];
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const blocking = [...document.head.querySelectorAll("script[src]")].filter(
    (s) => !s.defer && !s.async && s.type !== "module").length;
  const fcp = paint ? paint.startTime : null;
  return {
    fcp: fcp,
    // Laid out with a size before the first paint: on screen with that paint.
    chart: window.__chartVisible === null ? null : Math.max(window.__chartVisible, fcp || 0),
    load: nav.loadEventEnd,
    html: nav.transferSize,
    bytes: nav.transferSize + resources.reduce((sum, r) => sum + r.transferSize, 0),
    scripts: resources.filter((r) => r.initiatorType === "script").length,
    blocking: blocking,
  };
}"""


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


@contextmanager
def portal(port: int):
    """gunicorn with the production settings, the seeds in a throwaway SQLite database."""
    work = Path(tempfile.mkdtemp(prefix="kp-phone-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kraeftplan.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{work}/phone.sqlite3",
        "MEDIA_ROOT": str(work / "media"),
        "CACHE_DIR": str(work / "cache"),
    }
    manage = ["uv", "run", "manage.py"]
    for command in (
        ["compilemessages", "--ignore=.venv", "-v0"],
        ["migrate", "-v0"],
        ["load_seeds"],
        ["collectstatic", "--noinput", "-v0"],
        *([["generate_data", f"--scale={SCALE - 1}", "--prefix=gen"]] if SCALE > 1 else []),
    ):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    server = subprocess.Popen(
        [
            *("uv", "run", "gunicorn", "kraeftplan.wsgi:application"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--access-logfile", "/dev/null"),
            *("--error-logfile", str(work / "gunicorn.log")),
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                get(base + "/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError(f"gunicorn did not start; see {work}/gunicorn.log")
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


def pages(base: str) -> dict[str, str]:
    """Home, Kræftplan IV's budget and the first national target whose page has a chart."""
    found = {"home": "/", "budget": "/budget/kraeftplan-iv/"}
    if SCALE > 1:
        found[f"budget at {SCALE}×"] = f"/budget/gen-{SCALE - 1}x-1/"
    for path in re.findall(r'href="(/maal/\d+/)"', get(base + "/maal/")):
        if "kp-chart" in get(base + path):
            found["a target"] = path
            break
    return found


def visit(browser, url: str) -> dict:
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
        locale="da-DK",
    )
    page = context.new_page()
    page.add_init_script(WATCH_CHART)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", NETWORK)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    page.goto(url, wait_until="load", timeout=120_000)
    # A page whose chart never shows is a result too ("–").
    with suppress(PlaywrightError):
        page.wait_for_function("window.__chartVisible !== null", timeout=30_000)
    figures = page.evaluate(MEASURE)
    context.close()
    return figures


def seconds(value: float | None) -> str:
    return "–" if value is None else f"{value / 1000:.2f}".replace(".", ",")


def machine() -> str:
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout
    return f"{summary()}; {chromium.strip()}"


def run(base: str, runs: int) -> None:
    print(f"Machine: {machine()}")
    print(
        f"Phone: 390×844 (device scale 3), CPU {CPU_SLOWDOWN}× slower, network "
        f"{NETWORK['latency']} ms RTT, 1,6 Mbit/s down, 750 kbit/s up, cache disabled; "
        f"median of {runs} runs against {base}"
        + (f", the seeds and {SCALE - 1}× their size generated" if SCALE > 1 else "")
        + "\n"
    )
    print(
        "| page | first contentful paint (s) | chart SVG visible (s) | load event (s) "
        "| page HTML (KB) | transferred in all (KB) | scripts | blocking in <head> |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"],
        )
        for name, path in pages(base).items():
            results = [visit(browser, base + path) for _ in range(runs)]

            def median(key: str, results=results) -> float | None:
                values = [r[key] for r in results if r[key] is not None]
                return statistics.median(values) if values else None

            print(
                f"| {name} (`{path}`) | {seconds(median('fcp'))} | {seconds(median('chart'))} "
                f"| {seconds(median('load'))} | {round(median('html') / 1024)} "
                f"| {round(median('bytes') / 1024)} "
                f"| {results[0]['scripts']} | {results[0]['blocking']} |",
                flush=True,
            )
        browser.close()


def main() -> None:
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 and "://" in sys.argv[1] else None
    runs = int(sys.argv[-1]) if len(sys.argv) > 1 and sys.argv[-1].isdigit() else 3
    if base:
        run(base, runs)
    else:
        with portal(int(os.environ.get("BENCH_PORT", "8841"))) as served:
            run(served, runs)


if __name__ == "__main__":
    main()
