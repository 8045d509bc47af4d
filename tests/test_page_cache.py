"""Whole public pages from the store (kraeftplan.pagecache): a repeated anonymous request reads
one row, every public change is seen on the next request, a logged-in user's page is never
stored nor served, and clients that have the page get a 304."""

import gzip
import re
from datetime import timedelta
from html import unescape
from types import SimpleNamespace
from urllib.parse import urlencode, urljoin

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from initiatives.models import MeasureStatus, PublicYear
from kraeftplan.filecache import UncompressedFileCache
from kraeftplan.models import PublicDataVersion
from kraeftplan.pagecache import Entry, current_version
from reports.models import AnnualReport
from targets.models import NationalTarget
from tests.builders import correcting
from tests.conftest import render_published_pdfs
from tests.forms import form_data
from tests.test_headers import public_urls

pytestmark = pytest.mark.django_db

# Answers that are the same for every anonymous visitor but are not a 200: not stored.
# What only a logged-in user's pages show: their name and links.
USER_BAR = 'class="kp-user"'
NOT_STORED = {
    "/findes-ikke/",
    "/en/findes-ikke/",
    "/api/v1/initiativer/?offset=x",
    # A search's results: as many pages as searches, kept out of the store (search.views).
    "/soeg/?q=udviklingsfasen",
    "/en/soeg/?q=udviklingsfasen",
}


def is_file(url):
    """The data zip and the report PDFs are files the worker wrote; they are served as such and
    not kept a second time in the page store."""
    return url.endswith((".pdf", ".zip"))


def stored_urls():
    return [url for url in public_urls() if url not in NOT_STORED and not is_file(url)]


def test_files_are_served_from_storage_with_few_queries(client, django_assert_max_num_queries):
    render_published_pdfs()
    files = [url for url in public_urls() if is_file(url)]
    assert any(url.endswith(".pdf") for url in files) and any(url.endswith(".zip") for url in files)
    for url in files:
        client.get(url)
        with django_assert_max_num_queries(3):
            response = client.get(url)
        assert response.status_code == 200, url


def queries_of(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=headers)
    return response, len(queries)


@pytest.fixture
def staff_client(ministry):
    client = Client()
    client.force_login(ministry)
    return client


def test_the_second_anonymous_request_to_each_public_page_reads_only_the_version(
    client, django_assert_num_queries
):
    render_published_pdfs()
    for url in stored_urls():
        first = client.get(url)
        assert first.status_code == 200, url
        # 1 the public data version; the page itself comes from the store
        with django_assert_num_queries(1):
            second = client.get(url)
        assert second.status_code == 200, url
        assert second.content == first.content, url
        assert second.headers["Content-Type"] == first.headers["Content-Type"], url
        assert second.headers["ETag"] == first.headers["ETag"], url
        assert second.headers["Cache-Control"] == "public, no-cache", url


def test_a_head_request_is_answered_from_what_a_get_stored(client, django_assert_num_queries):
    page = client.get("/planer/")
    with django_assert_num_queries(1):
        head = client.head("/planer/")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["ETag"] == page.headers["ETag"]
    assert head.headers["Content-Length"] == str(len(page.content))


@pytest.mark.parametrize(
    "url",
    [
        *sorted(NOT_STORED),
        "/log-ind/",
        "/adgangskode/glemt/",
        "/admin/login/",
        "/bidrag/",
        "/rapporter/kraeftplan-iv/2020/forhaandsvisning/",
        # A parameter no page reads: else ?x=1, ?x=2, … would each become an entry and push
        # the site's own pages out (kraeftplan.pagecache.ReadQueryDict).
        "/planer/?x=1",
        "/initiativer/?plan=kraeftplan-iv&utm_source=nyhedsbrev",
        "/en/maal/?foo=",
        "/budget/kraeftplan-iv/?x=1",
    ],
)
def test_errors_forms_and_pages_for_staff_are_never_stored(client, url):
    for _ in range(2):
        response, queries = queries_of(client, url)
        assert "ETag" not in response.headers and queries >= 1, url
        assert "public" not in response.headers.get("Cache-Control", ""), url


def test_an_edit_in_the_admin_is_seen_on_the_next_anonymous_request(
    client, staff_client, django_assert_num_queries
):
    target = NationalTarget.objects.order_by("pk").first()
    old = target.title
    assert old in client.get("/maal/").content.decode()
    with django_assert_num_queries(1):
        assert old in client.get("/maal/").content.decode()

    change = f"/admin/targets/nationaltarget/{target.pk}/change/"
    data = form_data(staff_client.get(change), "nationaltarget_form")
    data["title"] = "En helt ny titel på målet"
    assert staff_client.post(change, data).status_code == 302

    page = client.get("/maal/").content.decode()
    assert "En helt ny titel på målet" in page and old not in page


def test_a_published_correction_is_seen_on_the_next_anonymous_request(client, kp4, ministry):
    status = MeasureStatus.objects.get(measure__title="Kræftpatientoverblik (KPO)", year=2020)
    url = status.measure.initiative.get_absolute_url()
    old = status.wording
    assert old in client.get(url).content.decode()

    correcting(kp4, 2020, ministry)
    status.refresh_from_db()
    status.wording = "Rettet ordlyd for KPO"
    status.save()
    # Not public until the correction is published, whether stored or not.
    for _ in range(2):
        page = client.get(url).content.decode()
        assert old in page and "Rettet ordlyd for KPO" not in page

    AnnualReport.objects.get(plan=kp4, year=2020).publish(user=ministry, note="KPO rettet")
    page = client.get(url).content.decode()
    assert "Rettet ordlyd for KPO" in page


def test_a_logged_in_user_s_page_is_never_served_to_anonymous_visitors(client, staff_client):
    staff_page = staff_client.get("/")
    assert USER_BAR in staff_page.content.decode()
    assert "private" in staff_page.headers["Cache-Control"]
    assert "ETag" not in staff_page.headers

    anonymous_page = client.get("/").content.decode()
    assert USER_BAR not in anonymous_page
    assert client.get("/").content.decode() == anonymous_page

    # The draft preview is the staff's; the stored public pages are not theirs either.
    preview = "/rapporter/kraeftplan-iv/2020/forhaandsvisning/"
    assert staff_client.get(preview).status_code == 200
    assert client.get(preview).status_code == 302


def test_anonymous_pages_are_never_served_to_a_logged_in_user(client, staff_client):
    for _ in range(2):
        anonymous_page = client.get("/").content.decode()
    response, queries = queries_of(staff_client, "/")
    assert USER_BAR in response.content.decode()
    assert response.content.decode() != anonymous_page and queries > 1
    # Even a stale session cookie bypasses the store: its holder may have been logged in.
    stale = Client()
    stale.cookies["sessionid"] = "gone"
    response, queries = queries_of(stale, "/")
    assert queries > 1 and "ETag" not in response.headers


def test_a_client_that_has_the_page_gets_a_304(client):
    page = client.get("/initiativer/")
    etag, modified = page.headers["ETag"], page.headers["Last-Modified"]
    for headers in ({"If-None-Match": etag}, {"If-Modified-Since": modified}):
        response = client.get("/initiativer/", headers=headers)
        assert response.status_code == 304 and response.content == b""
        assert response.headers["ETag"] == etag
    assert client.get("/initiativer/", headers={"If-None-Match": '"other"'}).status_code == 200
    earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert client.get("/initiativer/", headers={"If-Modified-Since": earlier}).status_code == 200


def test_the_validators_follow_the_public_data(client, kp4):
    page = client.get("/budget/kraeftplan-iv/")
    modified = page.headers["Last-Modified"]
    kp4.name = kp4.name + " (ændret)"
    kp4.save()
    response = client.get("/budget/kraeftplan-iv/", headers={"If-Modified-Since": modified})
    assert response.status_code == 200 and "(ændret)" in response.content.decode()
    assert response.headers["ETag"] != page.headers["ETag"]


def test_a_first_request_with_the_validators_gets_a_304_too(client):
    page = client.get("/maal/")
    etag = page.headers["ETag"]
    NationalTarget.objects.order_by("pk").first().save()  # a new version, the same page
    response = client.get("/maal/", headers={"If-None-Match": etag})
    assert response.status_code == 304


def test_every_public_change_gives_the_version_a_new_token(kp4):
    before = current_version()
    kp4.save()
    assert current_version()[0] != before[0]
    middle = current_version()
    PublicYear.objects.get(plan=kp4, year=2020).delete()
    assert current_version()[0] != middle[0]


def test_the_end_of_an_embargo_gives_the_version_a_new_token(kp4, client):
    soon = timezone.now() + timedelta(days=2)
    PublicYear.objects.create(plan=kp4, year=2021, public_from=soon)
    version = PublicDataVersion.objects.get()
    assert version.next_change_at == soon
    client.get("/planer/")
    _, queries = queries_of(client, "/planer/")
    assert queries == 1  # stored

    # Time passes: the embargo ends with no edit.
    PublicYear.objects.filter(plan=kp4, year=2021).update(public_from=timezone.now())
    PublicDataVersion.objects.update(next_change_at=timezone.now())
    _, queries = queries_of(client, "/planer/")
    assert queries > 1  # rendered again
    version.refresh_from_db()
    assert version.next_change_at is None
    _, queries = queries_of(client, "/planer/")
    assert queries == 1


def test_pages_are_rendered_when_the_store_is_down(client, settings):
    # Nothing listens on this port: every read and write of the store fails.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:8809/0",
        }
    }
    for _ in range(2):
        response, queries = queries_of(client, "/planer/")
        assert response.status_code == 200 and "Kræftplan IV" in response.content.decode()
        assert queries > 1


def test_a_client_that_accepts_gzip_gets_the_stored_page_compressed(client):
    urls = ["/", "/planer/kraeftplan-iv/", "/api/v1/status/", "/en/maal/"]
    for url in urls:
        # The first request renders and stores the page; the second is served from the store.
        for _ in range(2):
            packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
            plain = client.get(url)
            assert packed.headers["Content-Encoding"] == "gzip", url
            assert "Content-Encoding" not in plain.headers, url
            assert gzip.decompress(packed.content) == plain.content, url
            assert len(packed.content) < len(plain.content), url
            for response in (packed, plain):
                assert response.headers["Content-Length"] == str(len(response.content)), url
                assert "Accept-Encoding" in response.headers["Vary"], url
            assert packed.headers["ETag"] == plain.headers["ETag"], url
        assert client.get(url, headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304


def test_a_stored_page_carries_the_headers_it_was_rendered_with(client):
    # The store is read before the security, CSP and permissions middleware: what they add is
    # kept with the page.
    for url in stored_urls():
        first = client.get(url)
        second = client.get(url)
        assert dict(second.headers) == dict(first.headers), url
        for name in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
            assert second.headers[name], (url, name)


def test_a_plain_http_request_is_redirected_not_served_from_the_store(
    client, settings, django_assert_num_queries
):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/planer/", secure=True).status_code == 200  # rendered and stored
    with django_assert_num_queries(1):
        assert client.get("/planer/", secure=True).status_code == 200
    response = client.get("/planer/")
    assert response.status_code == 301 and response.headers["Location"].startswith("https://")


def test_the_file_store_keeps_values_uncompressed_and_expires_them(tmp_path):
    store = UncompressedFileCache(str(tmp_path), {})
    page = Entry(gzipped=gzip.compress(b"<p>side</p>"), headers=[("Vary", "Cookie")])
    store.set("page", page, 60)
    assert store.get("page") == page
    assert store.touch("page", 120) and store.get("page") == page
    store.set("old", page, -1)  # expired at once
    assert store.get("old") is None and not store.touch("old")
    store.delete("page")
    assert store.get("page", "gone") == "gone"


@pytest.mark.parametrize(
    ("accept", "compressed"),
    [
        ("gzip", True),
        ("br, gzip;q=0.5", True),
        ("GZIP", True),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip;q=x", False),
        ("", False),
    ],
)
def test_only_a_client_that_accepts_gzip_gets_it(client, accept, compressed):
    client.get("/planer/")  # stored
    response = client.get("/planer/", headers={"Accept-Encoding": accept})
    assert (response.headers.get("Content-Encoding") == "gzip") is compressed


def test_the_file_store_culls_at_most_once_a_minute(tmp_path):
    # Django's file cache lists its whole directory on every write to cull it.
    store = UncompressedFileCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 5}})
    page = Entry(gzipped=gzip.compress(b"<p>side</p>"), headers=[])
    for n in range(20):
        store.set(f"page-{n}", page, 60)
    assert len(list(tmp_path.glob("*.djcache"))) == 20  # culled once, when it was empty
    store._last_cull = float("-inf")  # a minute later
    store.set("page-20", page, 60)
    assert len(list(tmp_path.glob("*.djcache"))) < 20


# --- Only addresses whose every parameter the page reads are stored -----------------------


def links_and_filter_submissions(client, pages):
    """Every address with a query string that the pages link to, and what each page's filter
    form submits as it stands (every field, the empty ones too, as a browser sends them)."""
    addresses = set()
    for page in pages:
        html = client.get(page).content.decode()
        for href in re.findall(r'href="([^"#]*\?[^"#]*)', html):
            addresses.add(urljoin(page, unescape(href)))
        if form := re.search(r'<form method="get" class="kp-filters".*?</form>', html, re.S):
            fields = form_data(SimpleNamespace(content=form[0].encode()))
            addresses.add(f"{page}?{urlencode(fields, doseq=True)}")
    return addresses


def test_every_address_with_parameters_that_the_site_links_to_or_submits_is_stored(
    client, kp4, django_assert_num_queries
):
    initiative = kp4.initiatives.order_by("position").first()
    pages = ["/", "/planer/", kp4.get_absolute_url(), initiative.get_absolute_url()]
    pages += ["/initiativer/", "/maal/", "/rapporter/", "/budget/kraeftplan-iv/"]
    pages += ["/en" + page for page in pages]
    addresses = links_and_filter_submissions(client, pages)
    stored = 0
    for url in sorted(addresses):
        path = url.split("?")[0]
        if is_file(path) or "ETag" not in client.get(path).headers:
            continue  # not a stored page with or without parameters (a file, the log-in)
        first = client.get(url)
        if first.status_code != 200 or "private" in first.headers.get("Cache-Control", ""):
            continue  # the site search, a page past the last
        with django_assert_num_queries(1):
            assert client.get(url).content == first.content, url
        stored += 1
    # Paging, sorting, filters, downloads, the reports of a plan, in two languages.
    assert stored >= 20, sorted(addresses)
