"""The PDF of a report's print HTML, rendered by WeasyPrint in a child process with limits.

WeasyPrint is heavy to import, so only _write_pdf imports it, in the process that renders: the
web and worker processes never load it. The fetcher reads data: URIs and the portal's own static
files only, so text a user typed can never make the renderer read a local file or call a URL.
Rendering runs in a forked child whose address space and CPU time are capped
(settings.PDF_RENDER_MEMORY_BYTES, PDF_RENDER_SECONDS); the parent stops waiting after the same
number of seconds, and the child is killed and reaped whatever happened, and dies with its
parent when that is killed first (a web worker past its timeout).

A 100× plan's report (about 300 pages) has to fit those limits, so the rendering process
trims WeasyPrint's user-agent stylesheet, builds pydyf's page references once and sets its
garbage collector for one large render (_lean_html_class, _fast_page_references,
_prepare_renderer); bench/report_pdf.py measures it.
"""

import ctypes
import ctypes.util
import functools
import gc
import math
import multiprocessing
import os
import re
import resource
import signal
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders

STATIC_BASE = "https://kraeftplan.invalid/static/"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
MEDIA_TYPES = {
    ".css": "text/css",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
    ".svg": "image/svg+xml",
}


class RenderLimitExceeded(Exception):
    """The renderer went over its time or memory limit and was stopped."""


def _static_only_fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Reads data: URIs and the portal's own static files; refuses everything else."""

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(allowed_protocols={"data"}, **kwargs)

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(STATIC_BASE):
                relative = url[len(STATIC_BASE) :].split("?")[0]
                found = finders.find(relative) if ".." not in relative else None
                if not found:
                    raise ValueError(f"Not a static file of the portal: {url}")
                path = Path(str(found))
                content_type = MEDIA_TYPES.get(path.suffix, "application/octet-stream")
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            return super().fetch(url, headers)  # data: only; any other scheme raises ValueError

    return StaticOnlyFetcher()


@functools.cache
def _lean_html_class() -> Any:
    """WeasyPrint's HTML with a leaner user-agent stylesheet.

    WeasyPrint's own stylesheet gives every element of the document a ::marker and five
    footnote and note pseudo-elements (`::marker {...}`, `::footnote-call {...}`, ...), and
    each one is a computed style kept in memory: about a quarter of the renderer's memory for
    a large report. Markers are only drawn for list items, and the print CSS floats nothing
    into footnotes (it has no `float: footnote`), so the lean sheet gives ::marker to list
    items only and leaves the footnote and note rules out; the rest of the sheet is WeasyPrint's.
    """
    from weasyprint import CSS, HTML
    from weasyprint.css.counters import CounterStyle
    from weasyprint.html import UA

    lean = re.sub(r"^::marker\b", "li::marker", UA, flags=re.M)
    lean = re.sub(r"^::(?:footnote|note)-[a-z]+ \{[^}\n]*\}$", "", lean, flags=re.M)
    # Its @counter-style rules are already in every document's counter styles (WeasyPrint's
    # UA_COUNTER_STYLE): parsed here into a dictionary of their own, they are not redefined.
    sheet = CSS(string=lean, counter_style=CounterStyle())

    class LeanHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
            return [sheet]

    return LeanHTML


def _fast_page_references() -> None:
    """Have pydyf build the list of page references once per page count.

    With tags (PDF/UA), WeasyPrint asks pydyf for one page's reference for every tagged box,
    and pydyf's `page_references` rebuilds the references of all pages on each call: tags ×
    pages, a quarter of the write time of a 300-page report. Patched in the rendering process
    only (the child, or a benchmark); the answer is the same, as Kids only grows by whole pages.
    """
    import pydyf

    if getattr(pydyf.PDF, "_kp_cached_references", False):
        return

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        kids = pdf.pages["Kids"]
        cached = pdf.__dict__.get("_kp_references")
        if cached is None or cached[0] != len(kids):
            references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
            cached = pdf.__dict__["_kp_references"] = (len(kids), references)
        return cached[1]

    pydyf.PDF.page_references = property(page_references)
    pydyf.PDF._kp_cached_references = True


def _write_pdf(html: str) -> bytes:
    """Render in this process (the child, or a benchmark that measures it)."""
    _fast_page_references()
    html_class = _lean_html_class()
    document = html_class(string=html, base_url=STATIC_BASE, url_fetcher=_static_only_fetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def _die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when the process that started it ends (Linux's
    PR_SET_PDEATHSIG): a web worker killed for its timeout leaves no renderer behind."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it ended before the request above took effect
        os._exit(1)


def _prepare_renderer() -> None:
    """Ready a process that renders one PDF and ends: WeasyPrint loaded, and the garbage
    collector set for the millions of objects a large report's layout holds."""
    # Loaded before the cap, so that running out of memory is a MemoryError while rendering
    # and not a shared library that fails to load.
    import weasyprint  # noqa: F401

    # What the process holds already (Django, WeasyPrint) is never garbage: out of the
    # collector's sight. Young collections every 50,000 new objects instead of every 2,000:
    # the renderer's objects mostly live until the PDF is written, and scanning them again
    # and again took a sixth of a large report's time (measured: no more memory).
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)


def _render_in_child(html: str, out: Connection, memory: int, seconds: int, parent: int) -> None:
    _die_with_parent(parent)
    _prepare_renderer()
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    # The CPU limit ends a renderer that would outlive the parent's wait (SIGXCPU, then SIGKILL).
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    try:
        out.send(("pdf", _write_pdf(html)))
    except BaseException as error:
        if _out_of_memory(error):
            out.send(("limit", "memory"))
        else:
            out.send(("error", f"{type(error).__name__}: {error}"))
    finally:
        out.close()


def _out_of_memory(error: BaseException) -> bool:
    """A MemoryError, also when a C library or an audit hook reports it wrapped in another
    error (a SystemError "returned a result with an exception set" whose cause is the
    MemoryError)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, MemoryError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def render_pdf(html: str, timeout: float | None = None, memory: int | None = None) -> bytes:
    """The PDF of an HTML document, rendered in a child process within the limits; raises
    RenderLimitExceeded when it went over them."""
    seconds = timeout if timeout is not None else settings.PDF_RENDER_SECONDS
    memory = memory if memory is not None else settings.PDF_RENDER_MEMORY_BYTES
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_render_in_child,
        args=(html, send, memory, max(1, math.ceil(seconds)), os.getpid()),
        daemon=True,
    )
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise RenderLimitExceeded(f"no PDF within {seconds} s")
        kind, payload = receive.recv()
    except EOFError as ended:  # killed by its CPU limit, or died without a word
        raise RenderLimitExceeded(f"the renderer ended ({child.exitcode})") from ended
    finally:
        receive.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "limit":
        raise RenderLimitExceeded(f"over {memory} bytes of memory")
    if kind == "error":
        raise RuntimeError(f"The PDF could not be rendered: {payload}")
    return payload
