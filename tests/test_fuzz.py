"""Bad input never gives a 500 (issue 13): every URL of the URLconf, each of its path parameters
and the query parameters it reads, the contributor's Excel upload, the forms an anonymous
visitor can send and those of contributors and staff, driven with hostile values on SQLite and
PostgreSQL.

Each test first tries a fixed corpus of known nasties, then Hypothesis draws more (derandomized,
a modest number of examples, so a run is the same every time and takes well under a minute).
Every answer must be below 500; a 400 page must be Danish; a refused upload changes nothing.

The routes come from the URLconf, so a new page is fuzzed without being listed here. A new path
parameter needs a valid value in VALID or PK_MODELS below: the test fails until it has one.
Not fuzzed: the admin (staff only, Django's own views; another part of issue 13 covers its
writes), the PDF renderings with valid arguments (seconds each, and they read no query
parameters) - their hostile path values are fuzzed like any other route's - and the /en/
addresses (the same views in English).
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.http import urlsafe_base64_encode
from django_tables2 import Table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contributions.excel import HEADERS, MAX_ROWS, MAX_UPLOAD_BYTES
from contributions.models import ContributionEvent, ContributionItem, ProposedCase
from kraeftplan.downloads import DOWNLOAD_PARAMETER
from kraeftplan.views import FilteredTableView
from opendata.resources import RESOURCES
from opendata.views import openapi_schema
from reports.models import ReportVersion
from targets.models import Indicator, NationalTarget
from tests.builders import workbook
from tests.forms import form_data

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values for a path parameter, percent-encoded as they travel in a URL where needed.
NASTY_PATH = [
    "0",
    "-1",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999",
    "9" * 400,
    "²⁰²⁰",
    "２０２０",
    "١٢",
    "a" * 5000,
    "%00",
    "a%00b",
    "%0d%0a",
    "..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "%ff%fe",
    "%ed%a0%80",  # a lone surrogate, as UTF-8 would carry it
    "%25",
    "%C3%A6r%C3%B8",
    "<script>",
    "'%20OR%201=1--",
    "_",
    "-",
    "csv.xlsx",
]

# Values for a query parameter (urlencode() encodes them).
NASTY_QUERY = [
    "",
    " ",
    "0",
    "-1",
    "1.5",
    "1,5",
    "1e309",
    "NaN",
    "2147483648",
    "99999999999999999999",
    "9" * 400,
    "²⁰²⁰",
    "２０２０",
    "٢٠٢٠",
    "\x00",
    "a\x00b",
    "\x01\x1f\x7f",
    "\u202e\ufeff\u200b",
    "a " * 5000,
    "æ" * 10000,
    "' OR 1=1 --",
    '"><script>alert(1)</script>',
    "../../etc/passwd",
    "%",
    "[]",
    "-title",
    "__proto__",
]

# Whole query strings the test client would not build from a dict: repeated and array
# parameters, bytes that are not UTF-8, a lone surrogate, names without values.
RAW_QUERIES = [
    "page=1&page=2&sort=a&sort=b",
    "plan[]=kraeftplan-iv&plan[]=x",
    "q=%ED%A0%80",
    "q=%FF%FE",
    "q=%00",
    "%00=1",
    "=x&&&",
    "q",
    "%=%",
    "hent=csv&hent=xlsx",
    "limit=10&limit=-1&offset=1&offset=x",
]

# Query parameters every page is tried with, besides those it declares.
GENERIC_PARAMETERS = [DOWNLOAD_PARAMETER, "next", "page", "sort", "q", "x"]
# Query parameters read by views that do not declare them in a FilterSet.
READ_PARAMETERS = {
    "budget:budget_detail": [DOWNLOAD_PARAMETER],
    "contributions:round_open": ["plan", "ogsaa"],
    "contributions:round_overview": ["tilstand", DOWNLOAD_PARAMETER],
    "contributions:contribution_detail": ["paa-vegne"],
    "login": ["next"],
    "crawlers:sitemap_section": ["p"],
    "search:search": ["q", "vis", "page"],
    "targets:target_list": ["plan", "page"],
    "reports:report_list": ["plan", "page", "page_elsewhere"],
}

# Valid query parameters a page needs before it reads the others.
BASE_QUERY = {"contributions:round_open": {"plan": "kraeftplan-iv"}}

# A valid value of each path parameter; a pk depends on the route.
VALID = {
    "plan_slug": "kraeftplan-iv",
    "slug": "kraeftplan-iv",
    "code": "12",
    "fmt": "csv",
    "uidb64": urlsafe_base64_encode(b"1"),
    "token": "set-password",
    "section": "planer",
}
PK_MODELS: dict[str, Any] = {
    "targets:target_detail": NationalTarget,
    "targets:indicator_download": Indicator,
}
# Pages whose valid rendering takes seconds (a PDF); only their hostile paths are tried.
SLOW = {"reports:report_pdf", "reports:report_version_pdf", "reports:report_preview_pdf"}
# Views that answer POST only (a GET is a 405): not worth a query corpus.
POST_ONLY = {
    "contributions:contribution_upload",
    "contributions:contribution_apply",
    "contributions:contribution_return",
    "contributions:contribution_approve",
    "contributions:round_consolidate",
    "logout",
    "set_language",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # e.g. "maal/<int:pk>/"
    callback: Any

    @property
    def parameters(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    @property
    def logged_in(self) -> bool:
        return self.name.startswith("contributions:") or self.name in {
            "reports:report_preview",
            "reports:report_preview_pdf",
            "password_change",
            "password_change_done",
        }

    def url(self, **values: str) -> str:
        return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], self.route)

    def query_parameters(self) -> list[str]:
        view = getattr(self.callback, "view_class", None)
        names = list(READ_PARAMETERS.get(self.name, []))
        if view and issubclass(view, FilteredTableView):
            table: type[Table] = view.table_class
            names += list(view.filterset_class.base_filters)
            meta = table._meta
            names += [meta.order_by_field, meta.page_field, meta.per_page_field]
        return names


def _routes(patterns: list[Any], prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            yield from _routes(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else str(pattern.name)
            yield Route(name, prefix + str(pattern.pattern), pattern.callback)


ROUTES = sorted({r.name: r for r in _routes(get_resolver().url_patterns)}.values(), key=str)


def valid_values(route: Route, round_, contribution) -> dict[str, str]:
    values = dict(VALID)
    version = ReportVersion.objects.select_related("report").order_by("pk").first()
    values["year"], values["number"] = str(version.report.year), str(version.number)
    values["name"] = RESOURCES[0].name
    if "pk" in route.parameters:
        if route.name.startswith("contributions:round_"):
            values["pk"] = str(round_.pk)
        elif route.name.startswith("contributions:"):
            values["pk"] = str(contribution.pk)
        else:
            values["pk"] = str(PK_MODELS[route.name].objects.order_by("pk").first().pk)
    missing = set(route.parameters) - set(values)
    assert not missing, f"{route.name}: give the fuzz test a valid {missing} (VALID, PK_MODELS)"
    return values


# -- checking an answer -----------------------------------------------------------------------

ENGLISH = re.compile(
    r"\b(Bad Request|must|Unknown|invalid|Select a valid|Enter a|not found|the)\b", re.I
)
DANISH = re.compile(
    r"\b(er|og|en|et|på|til|for|ingen|året|skal|ikke|eller|ukendt|kendte|ugyldig|kontroltegn|tal)\b",
    re.I,
)


def assert_danish_400(response, what: str) -> None:
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace")
    if content_type.startswith("application/json"):
        messages = response.json()["fejl"]
        assert messages, what
        for message in messages:
            assert DANISH.search(message) and not ENGLISH.search(message), (what, message)
    else:
        assert 'lang="da"' in body, (what, body[:300])
        main = body.split('id="indhold"', 1)[-1]  # a page of the site: what follows its menus
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))
        assert DANISH.search(text), (what, text[:300])
        assert not re.search(r"Bad Request|Select a valid choice|Enter a", text), (what, text)


def ask(client: Client, method: str, url: str, data: Any = None, **extra: Any):
    """The answer to a request, or an AssertionError naming the request if it is a 5xx or the
    view raised. A savepoint keeps the test's transaction usable after a database error."""
    what = f"{method.upper()} {url[:200]!r} {str(data)[:200]}"
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data, **extra)
    except Exception as error:
        raise AssertionError(f"{what} raised {type(error).__name__}: {error}") from error
    assert response.status_code < 500, what
    if response.status_code == 400:
        assert_danish_400(response, what)
    return response


def collect(failures: list[str], *args: Any, **kwargs: Any) -> None:
    try:
        ask(*args, **kwargs)
    except AssertionError as error:
        failures.append(str(error).splitlines()[0][:400])


# -- the fixed corpus, route by route ---------------------------------------------------------


class Clients:
    """An anonymous client, and on demand one logged in as ministry staff (who may see every
    contributor page) with a reporting round and a contribution for the valid path values."""

    def __init__(self, request: pytest.FixtureRequest) -> None:
        self.request = request
        self.anonymous = Client()
        self.round = self.contribution = None
        self._staff: Client | None = None

    def staff(self) -> Client:
        if self._staff is None:
            self.contribution = self.request.getfixturevalue("rh")
            self.round = self.contribution.round
            self._staff = Client()
            self._staff.force_login(self.request.getfixturevalue("ministry"))
        return self._staff

    def client_for(self, route: Route) -> Client:
        return self.staff() if route.logged_in else self.anonymous

    def valid_values(self, route: Route) -> dict[str, str]:
        return valid_values(route, self.round, self.contribution)


@pytest.fixture
def clients(request):
    return Clients(request)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_no_hostile_path_value_gives_a_server_error(route, clients):
    client = clients.client_for(route)
    valid = clients.valid_values(route)
    failures: list[str] = []
    for parameter in route.parameters:
        for nasty in NASTY_PATH:
            collect(failures, client, "get", route.url(**{**valid, parameter: nasty}))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "route", [r for r in ROUTES if r.name not in SLOW | POST_ONLY], ids=lambda r: r.name
)
def test_no_hostile_query_value_gives_a_server_error(route, clients):
    client = clients.client_for(route)
    valid = clients.valid_values(route)
    pages = (
        [route.url(**{**valid, "name": r.name}) for r in RESOURCES]
        if "name" in route.parameters
        else [route.url(**valid)]
    )
    failures: list[str] = []
    for url in pages:
        declared = route.query_parameters()
        if url.startswith("/api/v1/") and url.count("/") == 4:
            operation = openapi_schema()["paths"][url]["get"]
            declared = [p["name"] for p in operation["parameters"]]
        base = BASE_QUERY.get(route.name, {})
        for parameter in declared:
            for nasty in NASTY_QUERY:
                collect(failures, client, "get", url, {parameter: nasty})
                if base and parameter not in base:
                    collect(failures, client, "get", url, {**base, parameter: nasty})
        for parameter in GENERIC_PARAMETERS:
            for nasty in ["\x00", "a " * 5000]:
                collect(failures, client, "get", url, {parameter: nasty})
        if not declared:
            continue  # a page that reads no parameter: the above shows it ignores them
        for raw in RAW_QUERIES:
            collect(failures, client, "get", f"{url}?{raw}")
        collect(failures, client, "get", url, {p: ["a", "\x00", "99999999999"] for p in declared})
    assert not failures, "\n".join(failures)


# -- Hypothesis over pages and parameters -----------------------------------------------------

hostile_text = st.one_of(
    st.sampled_from(NASTY_QUERY),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Nd", "No", "Cc", "Cf", "Zs"]), max_size=12),
    st.integers().map(str),
    st.builds(lambda n: "9" * n, st.integers(min_value=10, max_value=2000)),
)


@given(data=st.data())
@FUZZ
def test_random_query_values_give_no_server_error(clients, data):
    route = data.draw(
        st.sampled_from([r for r in ROUTES if r.name not in SLOW | POST_ONLY and not r.logged_in]),
        label="route",
    )
    valid = clients.valid_values(route)
    if "name" in route.parameters:
        valid["name"] = data.draw(st.sampled_from([r.name for r in RESOURCES]), label="resource")
    url = route.url(**valid)
    declared = route.query_parameters()
    if url.startswith("/api/v1/") and url.count("/") == 4:
        declared = [p["name"] for p in openapi_schema()["paths"][url]["get"]["parameters"]]
    names = st.sampled_from(declared + GENERIC_PARAMETERS)
    query = data.draw(
        st.dictionaries(names, st.one_of(hostile_text, st.lists(hostile_text, max_size=3))),
        label="query",
    )
    ask(clients.anonymous, "get", url, query)


@given(data=st.data())
@FUZZ
def test_random_path_values_give_no_server_error(clients, data):
    route = data.draw(st.sampled_from([r for r in ROUTES if r.parameters]), label="route")
    client = clients.client_for(route)
    valid = clients.valid_values(route)
    parameter = data.draw(st.sampled_from(route.parameters), label="parameter")
    value = data.draw(hostile_text.filter(bool), label="value")
    if value == valid[parameter] or (value.strip().isdigit() and route.name in SLOW):
        return  # a valid value, or a PDF rendering that is slow rather than wrong
    ask(client, "get", route.url(**{**valid, parameter: quote(value, safe="")}))


# -- headers ----------------------------------------------------------------------------------


def test_hostile_headers_and_cookies_give_no_server_error(clients):
    failures: list[str] = []
    for headers in [
        {"HTTP_ACCEPT_LANGUAGE": "xx-ÆØ;q=2, \x00, " + "a" * 5000},
        {"HTTP_ACCEPT_LANGUAGE": "en;q=NaN,da;q=-1"},
        {"HTTP_COOKIE": "sessionid=\x00; csrftoken=" + "x" * 5000 + "; django_language=../"},
        {"HTTP_COOKIE": "django_language=xx; sessionid=' OR 1=1 --"},
        {"HTTP_HOST": "evil.example\x00"},
        {"HTTP_X_FORWARDED_FOR": "not-an-ip, \x00"},
    ]:
        for url in ["/", "/initiativer/", "/api/v1/planer/", "/log-ind/"]:
            collect(failures, Client(), "get", url, **headers)
    assert not failures, "\n".join(failures)


# -- forms an anonymous visitor can send ------------------------------------------------------

ANONYMOUS_FORMS = {
    "/log-ind/": ["username", "password", "next"],
    "/admin/login/": ["username", "password", "next"],
    "/adgangskode/glemt/": ["email"],
    f"/adgangskode/ny/{VALID['uidb64']}/{VALID['token']}/": ["new_password1", "new_password2"],
    "/i18n/setlang/": ["language", "next"],
    "/log-ud/": ["next"],
}


def test_hostile_form_values_give_no_server_error():
    failures: list[str] = []
    for url, fields in ANONYMOUS_FORMS.items():
        for nasty in NASTY_QUERY:
            collect(failures, Client(), "post", url, dict.fromkeys(fields, nasty))
            for field in fields:
                collect(failures, Client(), "post", url, {field: nasty})
        collect(failures, Client(), "post", url, {f: ["a", "b"] for f in fields})
        collect(failures, Client(), "post", url, "\x00\xff junk", content_type="text/plain")
        collect(
            failures,
            Client(),
            "post",
            url,
            b"--x\r\nbroken",
            content_type="multipart/form-data; boundary=x",
        )
    assert not failures, "\n".join(failures)
    assert not mail.outbox, "no hostile value is an address we know"


@given(data=st.data())
@FUZZ
def test_random_form_values_give_no_server_error(data):
    url = data.draw(st.sampled_from(sorted(ANONYMOUS_FORMS)), label="url")
    values = data.draw(
        st.dictionaries(st.sampled_from(ANONYMOUS_FORMS[url]), hostile_text), label="values"
    )
    ask(Client(), "post", url, values)


# -- forms of logged-in users ------------------------------------------------------------------

# (who, the page with the form, where it posts, fields to add); {c} is the contribution, {r}
# its round. The fields added are those of forms the page shows only in some states (a case to
# adopt, an organisation to remove) and the value that picks a form's action.
LOGGED_IN_FORMS = [
    ("editor", "/bidrag/{c}/", "/bidrag/{c}/", {}),
    ("editor", "/adgangskode/skift/", "/adgangskode/skift/", {}),
    ("staff", "/bidrag/{c}/?paa-vegne=1", "/bidrag/{c}/", {}),
    ("staff", "/bidrag/runder/ny/?plan=kraeftplan-iv", "/bidrag/runder/ny/?plan=kraeftplan-iv", {}),
    *[
        ("staff", "/bidrag/runder/{r}/", "/bidrag/runder/{r}/styr/", {"action": action})
        for action in ["close", "reopen", "deadline", "add"]
    ],
    (
        "staff",
        "/bidrag/runder/{r}/",
        "/bidrag/runder/{r}/styr/",
        {"action": "remove", "contribution": "{c}"},
    ),
    ("staff", "/bidrag/runder/{r}/konsolider/", "/bidrag/runder/{r}/konsolider/", {}),
    ("staff", "/bidrag/runder/{r}/konsolider/", "/bidrag/runder/{r}/konsolider/", {"sag": "1"}),
    ("staff", "/bidrag/{c}/", "/bidrag/{c}/returner/", {}),
    ("staff", "/bidrag/{c}/", "/bidrag/{c}/godkend/", {}),
]
SHORT_NASTY = ["\x00", "9" * 400, "²⁰²⁰", "x" * 20000, "<script>", "' OR 1=1"]


@pytest.fixture
def logged_in(editor_rh, ministry, rh):
    editor, staff = Client(), Client()
    editor.force_login(editor_rh)
    staff.force_login(ministry)
    return {"editor": editor, "staff": staff, "c": rh.pk, "r": rh.round.pk}


def the_form(logged_in, who: str, page: str, target: str, extra: dict[str, str]):
    """The client, the address to post to, and the form's fields as the page fills them."""
    client = logged_in[who]
    page, target = (u.format(c=logged_in["c"], r=logged_in["r"]) for u in (page, target))
    response = client.get(page)
    assert response.status_code == 200, page
    fields = {k: v for k, v in form_data(response).items() if k != "next"}
    fields |= {k: v.format(c=logged_in["c"]) for k, v in extra.items()}
    return client, target, fields


@pytest.mark.parametrize("form", LOGGED_IN_FORMS, ids=lambda f: f"{f[0]} {f[2]} {f[3]}")
def test_no_hostile_value_in_a_logged_in_form_gives_a_server_error(logged_in, form):
    client, target, fields = the_form(logged_in, *form)
    failures: list[str] = []
    for nasty in SHORT_NASTY:
        collect(failures, client, "post", target, dict.fromkeys(fields, nasty))
    # Each of up to ten fields on its own in an otherwise valid form; Hypothesis tries the rest.
    names = sorted(fields)
    for name in names[:: max(1, len(names) // 8)]:
        for nasty in ["\x00", "²"]:
            collect(failures, client, "post", target, {**fields, name: nasty})
    collect(failures, client, "post", target, {name: ["1", "\x00", "9" * 400] for name in fields})
    assert not failures, "\n".join(failures)


@given(data=st.data())
@FUZZ
def test_random_values_in_logged_in_forms_give_no_server_error(logged_in, data):
    form = data.draw(st.sampled_from(LOGGED_IN_FORMS), label="form")
    client, target, fields = the_form(logged_in, *form)
    # The fields depend on the state earlier examples left (a closed round, adopted cases): the
    # drawing must not, or Hypothesis cannot replay an example. Indices are taken modulo.
    names = sorted(fields)
    picks = data.draw(
        st.lists(st.tuples(st.integers(0, 999), hostile_text), min_size=1, max_size=4),
        label="values",
    )
    ask(client, "post", target, {**fields, **{names[i % len(names)]: v for i, v in picks}})


# -- the Excel upload -------------------------------------------------------------------------


def rewritten(content: bytes, change) -> bytes:
    """The workbook with each sheet's XML passed through change(xml) -> xml."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = change(data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def inline(text: str) -> str:
    """A cell of inline text as the sheet's XML holds it; _xHHHH_ escapes reach any character."""
    return f'<c t="inlineStr"><is><t>{text}</t></is></c>'


def with_raw_row(content: bytes, cells: list[str]) -> bytes:
    """The workbook with one more row of raw cell XML, below the declared size of the sheet."""
    return rewritten(
        content, lambda xml: xml.replace("</sheetData>", f"<row>{''.join(cells)}</row></sheetData>")
    )


HOSTILE_CELLS: list[Any] = [
    '=HYPERLINK("http://evil","x")',
    "=1+1",
    "@SUM(A1)",
    10**30,
    -(10**30),
    1e308,
    -0.0,
    2**63,
    datetime(1900, 1, 1),
    True,
    "x" * 40000,
    "9" * 400,
    "99999999999999999999",
    "1e400",
    "²⁰",
    "ÆØÅ\u202e\ufeff",
    "2,5",
    "1.000.000",
    "",
    None,
]


def snapshot(contribution) -> tuple:
    return (
        list(ContributionItem.objects.filter(contribution=contribution).values().order_by("pk")),
        list(ProposedCase.objects.filter(item__contribution=contribution).values().order_by("pk")),
        ContributionEvent.objects.filter(contribution=contribution).count(),
        type(contribution).objects.filter(pk=contribution.pk).values().get(),
    )


def upload_corpus(rh) -> list[tuple[str, bytes]]:
    ids = list(rh.items.values_list("measure_id", flat=True))
    good = [[pk, "", "", "Følger tidsplanen", "Følger tidsplanen", "Tekst"] for pk in ids]
    base = workbook(good)
    lead = [f"<c><v>{ids[0]}</v></c>", "<c/>", "<c/>", inline("Afsluttet")]
    corpus = [
        ("empty", b""),
        ("random bytes", bytes(range(256)) * 8),
        ("a zip that is not a workbook", zipped({"hello.txt": b"hi"})),
        ("a workbook part that is garbage", zipped({"[Content_Types].xml": b"<x", "xl/a": b""})),
        ("broken sheet XML", rewritten(base, lambda xml: xml[: len(xml) // 2])),
        ("no sheet rows", rewritten(base, lambda xml: re.sub(r"<row.*</row>", "", xml))),
        (
            "declared size smaller",
            rewritten(base, lambda xml: re.sub(r'ref="[^"]+"', 'ref="A1"', xml)),
        ),
        ("missing column", workbook([row[:3] for row in good], HEADERS[:3])),
        ("columns in another order", workbook([row[::-1] for row in good], HEADERS[::-1])),
        ("headings of numbers", workbook(good, [1, 2, 3, 4, 5, 6])),
        ("headings only", workbook([])),
        ("a case sheet without its columns", workbook(good, cases=[])),
        ("too many rows", workbook(good * (MAX_ROWS // len(good) + 1))),
        ("larger than allowed", b"PK" + bytes(MAX_UPLOAD_BYTES)),
        # XML 1.0 has no NUL and no control characters other than tab, LF and CR, not even
        # written as references; openpyxl keeps _x0000_ as the text it is.
        ("a NUL in the wording", with_raw_row(base, [*lead, inline("a&#0;b")])),
        ("control characters", with_raw_row(base, [*lead, inline("ok"), inline("&#1;&#x1F;")])),
        ("an escaped NUL", with_raw_row(base, [*lead, inline("a_x0000_b"), inline("_x0001_")])),
        ("tab and CR first", with_raw_row(base, [*lead, inline("&#9;=1+1"), inline("&#13;@A1")])),
        ("an error cell", with_raw_row(base, ['<c t="e"><v>#DIV/0!</v></c>'])),
        ("a huge number as id", with_raw_row(base, ["<c><v>1e400</v></c>"])),
        ("a date as id", workbook([[datetime(2020, 1, 1), "", "", "Afsluttet", "x", ""]])),
        ("a shared string that does not exist", with_raw_row(base, ['<c t="s"><v>99999</v></c>'])),
    ]
    for n, value in enumerate(HOSTILE_CELLS):
        for column in (0, 3, 4, 5):
            row = list(good[0])
            row[column] = value
            corpus.append(
                (f"cell {column} = {str(value)[:20]!r} ({n})", workbook([row, *good[1:]]))
            )
    corpus.append(("hostile cases", workbook(good, cases=[[v, "", v, v] for v in HOSTILE_CELLS])))
    return corpus


def upload_and_apply(client, contribution, name, content, failures) -> None:
    """Upload; a refused upload must change nothing, an accepted one is applied."""
    before = snapshot(contribution)
    url = f"/bidrag/{contribution.pk}/excel/"
    try:
        response = ask(
            client, "post", url + "indlaes/", {"fil": SimpleUploadedFile("bidrag.xlsx", content)}
        )
        if response.status_code != 200:
            assert snapshot(contribution) == before, f"{name}: a refused upload changed data"
        else:
            ask(client, "post", url + "anvend/")
    except AssertionError as error:
        failures.append(f"{name}: {str(error).splitlines()[0][:400]}")


@pytest.fixture
def uploader(editor_rh, rh):
    client = Client()
    client.force_login(editor_rh)
    return client


def test_no_hostile_workbook_gives_a_server_error(uploader, rh):
    failures: list[str] = []
    for name, content in upload_corpus(rh):
        upload_and_apply(uploader, rh, name, content, failures)
    assert not failures, "\n".join(failures)


cell_values = st.one_of(
    st.none(),
    st.sampled_from(HOSTILE_CELLS),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=30),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 1, 1)),
)


@given(data=st.data())
@FUZZ
def test_random_workbooks_give_no_server_error(uploader, rh, data):
    ids = list(rh.items.values_list("measure_id", flat=True))
    first = st.one_of(st.sampled_from(ids), cell_values)
    rows = data.draw(
        st.lists(
            st.tuples(first, cell_values, cell_values, cell_values, cell_values, cell_values).map(
                list
            ),
            max_size=6,
        ),
        label="rows",
    )
    kind = data.draw(st.sampled_from(["workbook", "bytes", "truncated"]), label="kind")
    content = workbook(rows)
    if kind == "bytes":
        content = data.draw(st.binary(max_size=2000), label="bytes")
    elif kind == "truncated":
        # A fraction, not a length: a workbook's size varies with the time it is saved at.
        content = content[: len(content) * data.draw(st.integers(0, 1000), label="cut") // 1000]
    failures: list[str] = []
    upload_and_apply(uploader, rh, kind, content, failures)
    assert not failures, failures
