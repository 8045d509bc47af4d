"""robots.txt and the sitemaps: every public page in both languages with its alternates, no
draft, absolute addresses of the host asked, and queries that do not grow with the data."""

from datetime import timedelta
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.db import connection
from django.templatetags.static import static
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from budget.models import BudgetLine
from initiatives.models import Initiative, Plan
from kraeftplan.sitemaps import PortalSitemap, sections
from reports.models import AnnualReport, ReportVersion
from targets.models import NationalTarget
from tests.builders import make_large_plan, set_report
from tests.test_headers import public_urls

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
ORIGIN = "http://testserver"


def xml_of(response):
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/xml"
    return ElementTree.fromstring(response.content)


def section_addresses(client, **headers):
    """The addresses of the sections' pages, from the index."""
    index = xml_of(client.get("/sitemap.xml", headers=headers))
    return [loc.text for loc in index.findall("s:sitemap/s:loc", NS)]


def entries(client):
    """{address: {hreflang: address}} of every page in every section."""
    found = {}
    for address in section_addresses(client):
        parts = urlsplit(address)
        page = xml_of(client.get(parts.path + (f"?{parts.query}" if parts.query else "")))
        for url in page.findall("s:url", NS):
            alternates = {
                link.get("hreflang"): link.get("href") for link in url.findall("x:link", NS)
            }
            found[url.find("s:loc", NS).text] = alternates
    return found


def paths(addresses):
    return {address.removeprefix(ORIGIN) for address in addresses}


# robots.txt


def test_robots_txt_lets_crawlers_read_the_public_site_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Allow: /" in lines
    assert lines[-1] == "Sitemap: http://testserver/sitemap.xml"
    disallowed = [line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow")]
    for area in ("/admin/", "/bidrag/", "/log-ind/", "/log-ud/", "/adgangskode/"):
        assert area in disallowed and "/en" + area in disallowed, area
    for url in public_urls():
        assert not any(url.startswith(prefix) for prefix in disallowed), url
    for private in ("/admin/login/", "/bidrag/runder/1/", "/en/adgangskode/glemt/"):
        assert any(private.startswith(prefix) for prefix in disallowed), private


def test_robots_txt_and_the_sitemaps_use_the_host_and_scheme_asked(client, settings):
    settings.ALLOWED_HOSTS = ["kraeftplan.example.dk"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxied = {"host": "kraeftplan.example.dk", "x-forwarded-proto": "https"}
    robots = client.get("/robots.txt", headers=proxied).content.decode()
    assert "Sitemap: https://kraeftplan.example.dk/sitemap.xml" in robots
    sections_ = section_addresses(client, **proxied)
    assert sections_ and all(
        a.startswith("https://kraeftplan.example.dk/sitemap-") for a in sections_
    )
    page = client.get("/sitemap-planer.xml", headers=proxied).content.decode()
    assert "<loc>https://kraeftplan.example.dk/planer/kraeftplan-iv/</loc>" in page
    assert client.get("/robots.txt", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/sitemap.xml", headers={"host": "evil.example"}).status_code == 400


# The sitemaps


def test_the_sitemap_lists_every_public_page_in_both_languages_with_alternates(client):
    found = entries(client)
    danish = {path for path in paths(found) if not path.startswith("/en/")}
    report = AnnualReport.objects.published().filter(versions__isnull=False).first()
    expected = {
        "/",
        "/planer/",
        "/initiativer/",
        "/maal/",
        "/rapporter/",
        "/tilgaengelighed/",
        "/om-data/",
        *(plan.get_absolute_url() for plan in Plan.objects.all()),
        *(i.get_absolute_url() for i in Initiative.objects.select_related("plan")),
        *(target.get_absolute_url() for target in NationalTarget.objects.all()),
        *(
            f"/budget/{slug}/"
            for slug in BudgetLine.objects.values_list("plan__slug", flat=True).distinct()
        ),
        f"/rapporter/{report.plan.slug}/{report.year}/",
        *(
            f"/rapporter/{report.plan.slug}/{report.year}/v{v.number}/"
            for v in report.versions.all()
        ),
    }
    assert danish == expected
    assert paths(found) == danish | {"/en" + path for path in danish}
    for address, alternates in found.items():
        path = address.removeprefix(ORIGIN).removeprefix("/en")
        assert alternates == {
            "da": ORIGIN + path,
            "en": ORIGIN + "/en" + path,
            "x-default": ORIGIN + path,
        }, address


def test_every_address_in_the_sitemap_is_a_page_that_sets_no_cookie(client):
    """As the accessibility statement says: the public pages set no cookies."""
    for address in entries(client):
        response = client.get(address.removeprefix(ORIGIN))
        assert response.status_code == 200, address
        assert response["Content-Type"].startswith("text/html"), address
        assert "Set-Cookie" not in response.headers and not response.cookies, address
    assert not client.cookies


def report_paths(client):
    return {path for path in paths(entries(client)) if "/rapporter/" in path}


def test_no_draft_embargoed_or_future_report_version_is_in_the_sitemap(client, kp4):
    report = AnnualReport.objects.published().get(plan=kp4, year=2020)
    listed = report_paths(client)
    assert "/rapporter/kraeftplan-iv/2020/v1/" in listed
    # The seeds' drafts and reports published elsewhere have no page.
    drafts = AnnualReport.objects.exclude(state="published").values_list("plan__slug", "year")
    assert drafts
    for slug, year in drafts:
        assert not [path for path in listed if f"/rapporter/{slug}/{year}/" in path]

    # A version that is public only tomorrow is not listed until then.
    ReportVersion.objects.create(
        report=report,
        number=99,
        published_at=timezone.now() + timedelta(days=1),
        web_html="<p>Rettelse</p>",
        print_html="<p>Rettelse</p>",
        data={},
    )
    assert report_paths(client) == listed
    assert client.get("/rapporter/kraeftplan-iv/2020/v99/").status_code == 404

    # A report under embargo is not listed at all.
    set_report(kp4, 2020, published_at=timezone.now() + timedelta(days=2))
    caches["default"].clear()  # set_report bypasses save() for this, and its signals
    assert not [path for path in report_paths(client) if "/kraeftplan-iv/2020/" in path]


def test_a_report_page_is_dated_by_its_latest_public_version(client):
    version = ReportVersion.objects.filter(report__state="published").order_by("-pk").first()
    page = client.get("/sitemap-rapporter.xml").content.decode()
    day = timezone.localtime(version.published_at).date()
    assert f"<lastmod>{day:%Y-%m-%d}</lastmod>" in page


def test_a_large_section_is_split_into_pages_listed_by_the_index(client, monkeypatch):
    monkeypatch.setattr(PortalSitemap, "limit", 10)
    addresses = section_addresses(client)
    initiatives = [a for a in addresses if "sitemap-initiativer.xml" in a]
    # Two languages of each initiative, ten addresses a page.
    pages = -(-2 * Initiative.objects.count() // 10)
    assert initiatives[0] == ORIGIN + "/sitemap-initiativer.xml"
    assert initiatives[1:] == [
        f"{ORIGIN}/sitemap-initiativer.xml?p={n}" for n in range(2, pages + 1)
    ]
    listed = 0
    for address in initiatives:
        page = xml_of(client.get(address.removeprefix(ORIGIN)))
        listed += len(page.findall("s:url", NS))
    assert listed == 2 * Initiative.objects.count()
    assert client.get(f"/sitemap-initiativer.xml?p={pages + 1}").status_code == 404
    assert client.get("/sitemap-initiativer.xml?p=x").status_code == 404
    assert client.get("/sitemap-findes-ikke.xml").status_code == 404


def queries_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    return len(queries)


def test_the_sitemaps_take_a_fixed_number_of_queries(client):
    # Each section page: the public data version, the section's objects (one query, its related
    # rows joined). The index: the version, and per section the count of its pages (one query
    # each but the fixed pages', which are no query) and for the two report sections their
    # latest date (one more each). robots.txt: the version.
    expected = {"/robots.txt": 1, "/sitemap.xml": 1 + (len(sections()) - 1) + 2}
    expected |= {f"/sitemap-{name}.xml": 1 if name == "sider" else 2 for name in sections()}
    seeds = {url: queries_of(client, url) for url in expected}
    assert seeds == expected
    make_large_plan(scale=10)
    caches["default"].clear()
    assert {url: queries_of(client, url) for url in expected} == expected


def test_favicon_ico_leads_to_the_portals_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("img/favicon.svg")
    assert finders.find("img/favicon.svg")  # the file the pages link as their icon
