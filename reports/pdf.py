"""The PDF of a report's print HTML, rendered by WeasyPrint.

WeasyPrint is heavy to import, so only this module imports it, and only what renders a PDF
imports this module. The fetcher reads data: URIs and the portal's own static files only, so
text a user typed can never make the renderer read a local file or call a URL; rendering runs in
a child process that is stopped after a time limit.
"""

import concurrent.futures
import multiprocessing
from pathlib import Path

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_BASE = "https://kraeftplan.invalid/static/"
RENDER_TIMEOUT_SECONDS = 60


class StaticOnlyFetcher(URLFetcher):
    """Reads data: URIs and the portal's own static files; refuses everything else."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols={"data"}, **kwargs)

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_BASE):
            relative = url[len(STATIC_BASE) :].split("?")[0]
            found = finders.find(relative) if ".." not in relative else None
            if not found:
                raise ValueError(f"Not a static file of the portal: {url}")
            path = Path(found)
            media = {
                ".css": "text/css",
                ".woff": "font/woff",
                ".ttf": "font/ttf",
                ".svg": "image/svg+xml",
            }
            content_type = media.get(path.suffix, "application/octet-stream")
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
        return super().fetch(url, headers)  # data: only; any other scheme raises ValueError


def _write_pdf(html: str) -> bytes:
    return HTML(string=html, base_url=STATIC_BASE, url_fetcher=StaticOnlyFetcher()).write_pdf(
        pdf_variant="pdf/ua-1", pdf_tags=True
    )


def render_pdf(html: str, timeout: int = RENDER_TIMEOUT_SECONDS) -> bytes:
    """The PDF of an HTML document, rendered in a child process that is stopped after timeout."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        future = pool.submit(_write_pdf, html)
        try:
            return future.result(timeout=timeout)
        except concurrent.futures.TimeoutError:
            for process in pool._processes.values():
                process.kill()
            raise


def version_pdf(version) -> bytes:
    """The PDF of a published version's frozen print document; rendered once, then kept."""
    if version.pdf is None:
        version.pdf = render_pdf(version.print_html)
        type(version).objects.filter(pk=version.pk, pdf__isnull=True).update(pdf=version.pdf)
    return bytes(version.pdf)
