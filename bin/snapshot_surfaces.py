#!/usr/bin/env python3
"""Snapshot the text of every public surface of the portal, to compare before and after a change.

The script builds a fresh SQLite database in a temporary directory (``migrate`` + ``load_seeds``),
then crawls the public site anonymously and in-process with Django's test client: the HTML pages
(Danish and ``/en/``), their CSV/XLSX downloads, the report PDFs, the JSON API with every page of
every resource, the OpenAPI schema and the open-data zip. Every URL becomes one text file in
OUTDIR with the status, the response headers and a normalised, run-independent text of the body.

It relies only on URL paths and the ``migrate`` / ``load_seeds`` commands, never on the project's
modules, so the same script works on both sides of a refactor that moves code between apps.

Run from the repository root:

    uv run python bin/snapshot_surfaces.py OUTDIR
    uv run python bin/snapshot_surfaces.py --compare DIR_A DIR_B   # exit 1 if anything differs

The translations must be compiled first (``uv run manage.py compilemessages --ignore=.venv``).
"""

import argparse
import datetime
import difflib
import hashlib
import io
import json
import logging
import os
import re
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
HOST = "testserver"
START_URLS = [
    # Entry points from the README's table of public addresses; the rest is found by crawling.
    "/",
    "/en/",
    "/planer/",
    "/en/planer/",
    "/initiativer/",
    "/en/initiativer/",
    "/maal/",
    "/en/maal/",
    "/rapporter/",
    "/tilgaengelighed/",
    "/en/tilgaengelighed/",
    "/om-data/",
    "/en/om-data/",
    "/api/v1/",
    "/api/v1/openapi.json",
    "/data/kraeftplan-data.zip",
    # Answers that are not found by following links: an earlier report version by its number,
    # the not-found page, a missing slash, an unpublished year, bad filters and API parameters.
    "/rapporter/kraeftplan-iv/2020/v1/",
    "/rapporter/kraeftplan-iv/2020/v1.pdf",
    "/findes-ikke/",
    "/en/findes-ikke/",
    "/planer",
    "/rapporter/kraeftplan-iv/2016/",
    "/budget/kraeftplan-v/",
    "/initiativer/?plan=findes-ikke",
    "/initiativer/?hent=pdf",
    "/api/v1/findes-ikke/",
    "/api/v1/planer/?limit=0",
]
EXCLUDED_PREFIXES = ("/admin/", "/bidrag/", "/log-ind/", "/log-ud/", "/adgangskode/", "/static/")
EXCLUDED_PREFIXES += ("/i18n/", "/media/")
LANGUAGE_PREFIXES = ("/en",)
# Free-text fields of GET forms (the filters) are tried with these words, Danish letters included.
SEARCH_TERMS = ["kræft", "ØGET"]
DOWNLOAD_SUFFIXES = (".csv", ".xlsx", ".pdf", ".zip")
DOWNLOAD_FORMATS = {"csv", "xlsx"}  # the value of a list page's download parameter
DEFAULT_MAX_URLS = 1000
VOLATILE_HEADERS = {"content-length", "date", "expires", "last-modified", "etag"}
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
BLOCK_TAGS = HEADING_TAGS | {"address", "article", "aside", "blockquote", "body", "br", "div"}
BLOCK_TAGS |= {"footer", "head", "header", "hr", "html", "main", "nav", "p", "pre", "section"}
BLOCK_TAGS |= {"dd", "details", "dl", "dt", "figcaption", "figure", "li", "ol", "summary", "ul"}
BLOCK_TAGS |= {"caption", "table", "tbody", "tfoot", "thead", "tr", "svg", "title"}
BLOCK_TAGS |= {"fieldset", "form", "label", "legend", "option", "select", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}
HIDDEN_TEXT_TAGS = {"script", "style", "template"}
LINK_ATTRIBUTES = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src"}
LINK_ATTRIBUTES |= {"form": "action", "area": "href", "source": "src"}


def setup_django(database_path: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kraeftplan.settings.test")
    # Always a fresh SQLite file, whatever the shell exports: the snapshot must not depend on it.
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(REPO_ROOT))
    os.chdir(REPO_ROOT)

    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's host through ALLOWED_HOSTS
    # The 404s and 400s are recorded in the snapshot; the log needs only the errors.
    logging.getLogger("django.request").setLevel(logging.ERROR)


def check_translations() -> None:
    """Without compiled (and current) .mo files Django silently shows the English source text."""
    stale = []
    for po in sorted(REPO_ROOT.rglob("*.po")):
        if ".venv" in po.parts or "site-packages" in po.parts:
            continue
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            stale.append(po.relative_to(REPO_ROOT))
    if stale:
        names = ", ".join(str(p) for p in stale)
        sys.exit(
            f"Missing or stale compiled translations for {names}.\n"
            "Run: uv run manage.py compilemessages --ignore=.venv"
        )


def build_database() -> str:
    from django.core.management import call_command

    out = io.StringIO()
    call_command("migrate", interactive=False, verbosity=0, stdout=out)
    out = io.StringIO()
    call_command("load_seeds", stdout=out)
    return out.getvalue()


# --- URLs -----------------------------------------------------------------------------------


def local_url(href: str, base: str) -> str | None:
    """The path?query of a same-site link worth fetching, or None."""
    href = href.strip()
    if not href or href.startswith("#"):
        return None
    parts = urlsplit(urljoin(f"http://{HOST}{base}", href))
    if parts.scheme not in ("http", "https") or parts.netloc != HOST:
        return None
    path = parts.path or "/"
    for prefix in ("", *LANGUAGE_PREFIXES):
        if any(path.startswith(prefix + excluded) for excluded in EXCLUDED_PREFIXES):
            return None
    return path + (f"?{parts.query}" if parts.query else "")


def is_download(url: str) -> bool:
    parts = urlsplit(url)
    values = {value for _, value in parse_qsl(parts.query)}
    return parts.path.endswith(DOWNLOAD_SUFFIXES) or bool(values & DOWNLOAD_FORMATS)


def filename_for(url: str) -> str:
    """A safe, unique, readable file name for a path?query."""
    special = {"/": "~", "?": "@", "&": "+"}
    out = []
    for char in url:
        if char in special:
            out.append(special[char])
        elif char.isascii() and (char.isalnum() or char in ".-="):
            out.append(char)
        else:
            out.extend(f"_{byte:02x}" for byte in char.encode())
    name = "".join(out)
    if len(name) > 200:
        name = name[:180] + "_" + hashlib.sha256(url.encode()).hexdigest()[:16]
    return name + ".txt"


# --- Normalisation --------------------------------------------------------------------------


def collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class PageText(HTMLParser):
    """The visible text of a page, one block per line; its links, forms, scripts and markup."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.links: list[str] = []
        self.scripts: list[str] = []
        self.markup: list[str] = []
        self.forms: list[dict] = []
        self.hidden_depth = 0
        self.script_text: list[str] | None = None
        self.lang = ""
        self.open_select: dict | None = None

    def flush(self):
        line = collapse("".join(self.current))
        if line:
            self.lines.append(line)
        self.current = []

    def emit(self, text: str):
        self.current.append(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.record_markup(tag, attrs)
        if tag == "html":
            self.lang = attributes.get("lang") or ""
        if attr := LINK_ATTRIBUTES.get(tag):
            target = attributes.get(attr)
            if tag == "form":
                method = (attributes.get("method") or "get").upper()
                self.links.append(f"form {method} {target if target is not None else '(self)'}")
                self.forms.append({"method": method, "action": target or "", "fields": []})
            elif target is not None:
                rel = f" rel={attributes['rel']}" if attributes.get("rel") else ""
                self.links.append(f"{tag} {target}{rel}")
        if tag in HIDDEN_TEXT_TAGS:
            self.hidden_depth += 1
            if tag == "script" and "src" not in attributes:
                self.script_text = []
            return
        if self.hidden_depth:
            return
        if tag in BLOCK_TAGS:
            self.flush()
        if tag in HEADING_TAGS:
            self.emit("#" * int(tag[1]) + " ")
        elif tag == "li":
            self.emit("- ")
        elif tag in ("td", "th"):
            self.emit(" | ")
        elif tag in ("text", "tspan"):  # an SVG chart's labels
            self.emit(" ")
        if attributes.get("aria-label"):
            self.emit(f" [aria-label: {attributes['aria-label']}] ")
        if tag == "img":
            self.emit(f" [img alt={attributes.get('alt')!r}] ")
        elif tag in ("input", "select", "textarea", "button"):
            self.form_field(tag, attributes)
        elif tag == "option" and self.open_select is not None:
            selected = " (selected)" if "selected" in attributes else ""
            self.emit(f"[option value={attributes.get('value')!r}{selected}] ")
            self.open_select["options"].append(attributes.get("value"))
            if selected:
                self.open_select["value"] = attributes.get("value")

    def record_markup(self, tag, attrs):
        """Every element with its attributes (classes, ids, roles), without the text."""
        shown = [tag]
        is_csrf = dict(attrs).get("name") == "csrfmiddlewaretoken"
        for name, value in attrs:
            if value is None:
                shown.append(name)
                continue
            if name == "value" and is_csrf:
                value = "<csrf>"
            elif name == "nonce":
                value = "<nonce>"
            shown.append(f'{name}="{collapse(value)}"')
        self.markup.append(f"<{' '.join(shown)}>")

    def form_field(self, tag, attributes):
        kind = attributes.get("type") or ("text" if tag == "input" else tag)
        name = attributes.get("name")
        value = attributes.get("value")
        if name == "csrfmiddlewaretoken":
            value = "<csrf>"
        shown = [f"{tag} type={kind}"]
        for key, val in (("name", name), ("value", value)):
            if val is not None:
                shown.append(f"{key}={val!r}")
        for key in ("placeholder", "required", "checked", "disabled", "multiple"):
            if key in attributes:
                shown.append(key if attributes[key] is None else f"{key}={attributes[key]!r}")
        self.emit(f" [{' '.join(shown)}] ")
        if self.forms and name and tag != "button":
            field = {"tag": tag, "type": kind, "name": name, "value": value or "", "options": []}
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                field["value"] = None
            self.forms[-1]["fields"].append(field)
            if tag == "select":
                self.open_select = field
                field["value"] = None

    def handle_endtag(self, tag):
        if tag in HIDDEN_TEXT_TAGS:
            self.hidden_depth = max(0, self.hidden_depth - 1)
            if tag == "script" and self.script_text is not None:
                self.scripts.append("".join(self.script_text))
                self.script_text = None
            return
        if self.hidden_depth:
            return
        if tag in ("text", "tspan"):
            self.emit(" ")
        if tag == "select" and self.open_select is not None:
            field = self.open_select
            if field["value"] is None:
                field["value"] = field["options"][0] if field["options"] else ""
            self.open_select = None
        if tag in BLOCK_TAGS:
            self.flush()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_TAGS:
            self.handle_endtag(tag)

    def handle_data(self, data):
        if self.script_text is not None:
            self.script_text.append(data)
        elif not self.hidden_depth:
            self.emit(data)

    def close(self):
        super().close()
        self.flush()


def chart_text(script: str) -> str:
    """A plotly chart's data and layout, pretty-printed; other inline scripts, collapsed.

    A chart is either plotly's own inline Plotly.newPlot(id, data, layout, config) or, since
    the Content-Security-Policy, a JSON {data, layout, config} that static/js/charts.js draws.
    """
    try:
        figure = json.loads(script)
    except ValueError:
        figure = None
    if isinstance(figure, dict) and {"data", "layout"} <= figure.keys():
        args = [
            None,
            figure["data"],
            figure["layout"],
            *([figure["config"]] if "config" in figure else []),
        ]
    else:
        match = re.search(r"Plotly\.newPlot\(\s*", script)
        if not match:
            return "script: " + collapse(script)
        decoder = json.JSONDecoder()
        separator = re.compile(r"\s*,?\s*")
        position, args = match.end(), []
        try:
            while len(args) < 4:
                value, position = decoder.raw_decode(script, position)
                args.append(value)
                position = separator.match(script, position).end()
        except ValueError:
            pass
        if len(args) < 3:
            return "script: " + collapse(script)
    layout = dict(args[2])
    # Plotly's own default theme: large and not ours, so only its fingerprint is kept.
    template = layout.pop("template", None)
    chart = {"id": args[0], "data": args[1], "layout": layout, "config": args[3:]}
    if template is not None:
        chart["layout.template sha256"] = hashlib.sha256(
            json.dumps(template, sort_keys=True).encode()
        ).hexdigest()
    return "chart: " + json.dumps(chart, indent=1, sort_keys=True, ensure_ascii=False)


def html_text(body: str) -> tuple[str, PageText]:
    parser = PageText()
    parser.feed(body)
    parser.close()
    parts = [f"lang: {parser.lang}", "", "== text", *parser.lines, "", "== links", *parser.links]
    if parser.scripts:
        parts += ["", "== inline scripts", *(chart_text(s) for s in parser.scripts)]
    parts += ["", "== markup", *parser.markup]
    return "\n".join(parts), parser


def json_text(body: bytes) -> tuple[str, object]:
    data = json.loads(body)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False), data


def plain_text(body: bytes) -> str:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return binary_text(body)
    notes = []
    if text.startswith("\ufeff"):
        notes.append("(starts with a byte-order mark)")
        text = text[1:]
    if "\r\n" in text:
        notes.append("(CRLF line endings)")
        text = text.replace("\r\n", "\n")
    return "\n".join([*notes, text])


def binary_text(body: bytes) -> str:
    return f"(binary, {len(body)} bytes, sha256 {hashlib.sha256(body).hexdigest()})"


def readable(convert, body: bytes) -> str:
    """The converted text, or a note and a fingerprint when the body is not what it claims."""
    try:
        return convert(body)
    except Exception as error:  # a broken download is a finding, not a reason to stop
        return f"(could not be read: {type(error).__name__}: {error})\n{binary_text(body)}"


def zip_text(body: bytes) -> str:
    parts = []
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            # The member's date_time is the moment of the request; it is left out on purpose.
            parts += [f"=== member {info.filename}", plain_text(archive.read(info)), ""]
    return "\n".join(parts)


def xlsx_text(body: bytes) -> str:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(body), data_only=False)
    parts = []
    for sheet in workbook.worksheets:
        parts.append(f"=== sheet {sheet.title!r} ({sheet.max_row} rows x {sheet.max_column} cols)")
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                shown = "" if cell.value is None else repr(cell.value)
                if cell.value is not None and cell.number_format != "General":
                    shown += f" {{{cell.number_format}}}"
                cells.append(shown)
            parts.append("\t".join(cells).rstrip("\t"))
    return "\n".join(parts)


def pdf_text(body: bytes) -> str:
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(body))
    parts = [f"pages: {len(reader.pages)}"]
    metadata = reader.metadata or {}
    for key in sorted(metadata):
        if key not in ("/CreationDate", "/ModDate"):  # the moment of rendering
            parts.append(f"meta {key}: {metadata[key]}")
    root = reader.trailer["/Root"]
    parts.append(f"catalog /Lang: {root.get('/Lang')}")
    parts.append(f"catalog tagged: {'/StructTreeRoot' in root}")

    def outline(items, depth=0):
        for item in items:
            if isinstance(item, list):
                outline(item, depth + 1)
            else:
                parts.append(f"outline {'  ' * depth}{item.title}")

    outline(reader.outline)
    for number, page in enumerate(reader.pages, 1):
        parts.append(f"--- page {number}")
        parts.append(page.extract_text() or "")
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if "/URI" in action:
                parts.append(f"link: {action['/URI']}")
    return "\n".join(parts)


def scrub(text: str, today: list[str]) -> tuple[str, int]:
    """Remove what differs from run to run: CSRF tokens, CSP nonces, today's date."""
    text = re.sub(
        r"(csrfmiddlewaretoken[\"'=:\s]+(value=)?[\"']?)[A-Za-z0-9]{32,}", r"\1<csrf>", text
    )
    text = re.sub(r"(nonce=[\"']?)[A-Za-z0-9+/=_-]{8,}", r"\1<nonce>", text)
    hits = 0
    for stamp in today:
        hits += text.count(stamp)
        text = text.replace(stamp, "<TODAY>")
    return text, hits


def today_stamps() -> list[str]:
    """Today's date as a page could write it, in UTC and in Copenhagen."""
    from zoneinfo import ZoneInfo

    stamps = set()
    months = "januar februar marts april maj juni juli august september oktober november december"
    for zone in (datetime.UTC, ZoneInfo("Europe/Copenhagen")):
        day = datetime.datetime.now(zone).date()
        stamps |= {day.isoformat(), day.strftime("%d-%m-%Y"), day.strftime("%d.%m.%Y")}
        stamps.add(f"{day.day}. {months.split()[day.month - 1]} {day.year}")
        stamps.add(day.strftime("%B %-d, %Y"))
        stamps.add(day.strftime("%-d %B %Y"))
    return sorted(stamps, key=len, reverse=True)


def static_text(paths: set[str]) -> str:
    """Whether each static file the pages refer to is found, and its content's fingerprint.

    The files are looked up through the staticfiles finders instead of being fetched.
    """
    from django.conf import settings
    from django.contrib.staticfiles import finders

    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    lines = []
    for path in sorted(paths):
        found = finders.find(path.removeprefix(prefix)) if path.startswith(prefix) else None
        if found:
            digest = hashlib.sha256(Path(found).read_bytes()).hexdigest()
            lines.append(f"{path} sha256 {digest}")
        else:
            lines.append(f"{path} NOT FOUND")
    return "\n".join(lines) + "\n"


# --- Crawling -------------------------------------------------------------------------------


def header_lines(response) -> list[str]:
    lines = []
    for name, value in sorted(response.items(), key=lambda item: item[0].lower()):
        if name.lower() not in VOLATILE_HEADERS:
            lines.append(f"{name}: {value}")
    for name in sorted(response.cookies):
        morsel = response.cookies[name]
        attributes = [
            f"{key}={morsel[key]}" if morsel[key] is not True else key
            for key in sorted(morsel.keys())
            if morsel[key] and key != "expires"
        ]
        lines.append(f"Set-Cookie: {name}=<value> {' '.join(attributes)}".rstrip())
    return lines


def json_urls(data) -> list[str]:
    """Every same-site address inside a JSON document (API resources, next and previous pages)."""
    found = []
    if isinstance(data, dict):
        for value in data.values():
            found += json_urls(value)
    elif isinstance(data, list):
        for value in data:
            found += json_urls(value)
    elif isinstance(data, str) and data.startswith(f"http://{HOST}/"):
        found.append(data)
    return found


def form_urls(form: dict, page_url: str) -> list[str]:
    """What a visitor gets by submitting a GET form with one field changed at a time."""
    if form["method"] != "GET":
        return []
    action = form["action"] or urlsplit(page_url).path
    defaults = [(f["name"], f["value"]) for f in form["fields"] if f["value"] is not None]
    variants = []
    for index, field in enumerate(form["fields"]):
        choices = []
        if field["tag"] == "select":
            choices = [o for o in field["options"] if o and o != field["value"]]
        elif field["type"] in ("text", "search"):
            choices = SEARCH_TERMS
        for choice in choices:
            query = [
                (name, choice if position == index else value)
                for position, (name, value) in enumerate(defaults)
            ]
            variants.append(f"{action}?{urlencode(query)}")
    return variants


class Crawler:
    def __init__(self, outdir: Path, max_urls: int):
        from django.core.signals import got_request_exception
        from django.test import Client

        self.client = Client(raise_request_exception=False)
        self.outdir = outdir
        self.max_urls = max_urls
        self.today = today_stamps()
        self.status: dict[str, int] = {}
        self.kind: dict[str, str] = {}
        self.referrers: dict[str, set[str]] = defaultdict(set)
        self.exceptions: dict[str, str] = {}
        self.today_hits: dict[str, int] = {}
        self.skipped = 0
        self.static: set[str] = set()
        self._last_exception = None
        got_request_exception.connect(self._record_exception, weak=False)

    def _record_exception(self, sender, request=None, **kwargs):
        error = sys.exc_info()[1]
        self._last_exception = f"{type(error).__name__}: {error}"

    def crawl(self):
        seen = set(START_URLS)
        level = sorted(seen)
        while level:
            found = set()
            for url in level:
                if len(self.status) >= self.max_urls:
                    self.skipped += 1
                    continue
                for link in self.fetch(url):
                    if link not in seen:
                        found.add(link)
            seen |= found
            # One level at a time and sorted, so that the order of links on a page cannot change
            # which addresses are fetched before the cap.
            level = sorted(found)

    def fetch(self, url: str) -> list[str]:
        self.client.cookies.clear()  # every request is a first, anonymous visit
        self._last_exception = None
        response = self.client.get(url)
        if self._last_exception:
            self.exceptions[url] = self._last_exception
        body = b"".join(response.streaming_content) if response.streaming else response.content
        content_type = response.get("Content-Type", "")
        media = content_type.split(";")[0].strip().lower()
        self.status[url] = response.status_code
        links: list[str] = []
        page_path = urlsplit(url).path
        has_query = "?" in url
        if media == "text/html":
            kind = "html"
            text, page = html_text(body.decode(response.charset or "utf-8", errors="replace"))
            for line in page.links:
                target = line.split(" ")[1]
                if urlsplit(target).path.startswith("/static/"):
                    self.static.add(urlsplit(target).path)
                if line.startswith("form") or (link := local_url(target, url)) is None:
                    continue
                self.referrers[link].add(url)
                # Variants of a list page (filters, sorting, paging) are followed from the plain
                # page only, so that their combinations do not multiply; their downloads too,
                # but not the links of a download that answers with a page (an error).
                if urlsplit(link).path == page_path and (
                    is_download(url) or (has_query and not is_download(link))
                ):
                    continue
                links.append(link)
            if not has_query:
                for form in page.forms:
                    for variant in form_urls(form, url):
                        if (link := local_url(variant, url)) is not None:
                            links.append(link)
        elif media == "application/json":
            kind = "json"
            try:
                text, data = json_text(body)
            except ValueError as error:
                text, data = f"(not JSON: {error})\n{plain_text(body)}", None
            for address in json_urls(data):
                if (link := local_url(address, url)) is not None:
                    self.referrers[link].add(url)
                    links.append(link)
        elif media == "application/zip":
            kind, text = "zip", readable(zip_text, body)
        elif media == "application/pdf":
            kind, text = "pdf", readable(pdf_text, body)
        elif media.endswith("spreadsheetml.sheet"):
            kind, text = "xlsx", readable(xlsx_text, body)
        elif media.startswith("text/"):
            kind, text = media.split("/")[1], plain_text(body)
        else:
            kind, text = "binary", binary_text(body)
        self.kind[url] = kind
        text, hits = scrub(text, self.today)
        if hits:
            self.today_hits[url] = hits
        head = [f"URL: {url}", f"status: {response.status_code}", *header_lines(response)]
        location = response.get("Location")
        if location and (link := local_url(location, url)) is not None:
            self.referrers[link].add(url)
            links.append(link)
        (self.outdir / filename_for(url)).write_text("\n".join([*head, "", text]) + "\n")
        return links

    def write_index(self, seed_output: str):
        lines = [f"{self.status[url]} {self.kind[url]:6} {url}" for url in sorted(self.status)]
        (self.outdir / "_index.txt").write_text("\n".join(lines) + "\n")
        broken = []
        for url in sorted(self.status):
            if self.status[url] >= 400:
                sources = sorted(self.referrers.get(url, ())) or ["(start address)"]
                broken.append(f"{self.status[url]} {url}")
                broken += [f"    linked from {source}" for source in sources]
        (self.outdir / "_errors.txt").write_text("\n".join(broken) + "\n")
        (self.outdir / "_load_seeds.txt").write_text(seed_output)
        (self.outdir / "_static.txt").write_text(static_text(self.static))


# --- Commands -------------------------------------------------------------------------------


def snapshot(outdir: Path, max_urls: int) -> int:
    if outdir.exists() and any(outdir.iterdir()):
        sys.exit(f"{outdir} is not empty; choose a new directory.")
    outdir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    check_translations()
    with tempfile.TemporaryDirectory(prefix="snapshot-surfaces-") as scratch:
        setup_django(Path(scratch) / "db.sqlite3")
        seed_output = build_database()
        print(f"Database migrated and seeded in {time.monotonic() - started:.0f} s")
        crawler = Crawler(outdir, max_urls)
        crawler.crawl()
        crawler.write_index(seed_output)
        from django.db import connections

        connections.close_all()
    by_status = defaultdict(int)
    by_kind = defaultdict(int)
    for url, status in crawler.status.items():
        by_status[status] += 1
        by_kind[crawler.kind[url]] += 1
    print(f"Fetched {len(crawler.status)} URLs into {outdir} in {time.monotonic() - started:.0f} s")
    print("  by status: " + ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    print("  by kind:   " + ", ".join(f"{k}: {v}" for k, v in sorted(by_kind.items())))
    if crawler.skipped:
        print(f"  WARNING: the cap of {max_urls} URLs left {crawler.skipped} found URLs unfetched")
    for url, error in sorted(crawler.exceptions.items()):
        print(f"  exception at {url}: {error}", file=sys.stderr)
    for url, hits in sorted(crawler.today_hits.items()):
        print(f"  note: today's date replaced {hits}x in {url}", file=sys.stderr)
    return 0


def compare(dir_a: Path, dir_b: Path) -> int:
    for directory in (dir_a, dir_b):
        if not directory.is_dir():
            sys.exit(f"{directory} is not a directory.")
    names_a = {p.name for p in dir_a.iterdir() if p.is_file()}
    names_b = {p.name for p in dir_b.iterdir() if p.is_file()}
    differing = 0
    for name in sorted(names_a | names_b):
        text_a = (dir_a / name).read_text() if name in names_a else ""
        text_b = (dir_b / name).read_text() if name in names_b else ""
        if name in names_a and name in names_b and text_a == text_b:
            continue
        differing += 1
        label_a = str(dir_a / name) if name in names_a else "/dev/null"
        label_b = str(dir_b / name) if name in names_b else "/dev/null"
        diff = difflib.unified_diff(
            text_a.splitlines(), text_b.splitlines(), label_a, label_b, lineterm=""
        )
        for line in diff:
            print(line)
    total = len(names_a | names_b)
    if differing:
        print(f"{differing} of {total} files differ.", file=sys.stderr)
        return 1
    print(f"All {total} files are identical.", file=sys.stderr)
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", nargs="?", type=Path, help="directory for a new snapshot")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("DIR_A", "DIR_B"))
    parser.add_argument("--max-urls", type=int, default=DEFAULT_MAX_URLS)
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.outdir is None:
        parser.error("give OUTDIR, or --compare DIR_A DIR_B")
    return snapshot(args.outdir.resolve(), args.max_urls)


if __name__ == "__main__":
    sys.exit(main())
