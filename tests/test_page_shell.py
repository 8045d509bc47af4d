"""The shell of every public page: breadcrumbs, the menu that works on a phone with and without
JavaScript, tables that scroll by themselves, both languages, Danish data marked as Danish, the
favicon, the print sheet and the way in for contributors."""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from kraeftplan.scroll_regions import tables_of
from reports.models import ReportVersion
from tests.test_public_pages import page_urls

pytestmark = pytest.mark.django_db


def public_pages() -> list[str]:
    """Every kind of public page, in Danish."""
    version = ReportVersion.objects.select_related("report__plan").order_by("pk").first()
    report = f"/rapporter/{version.report.plan.slug}/{version.report.year}/"
    return [
        *page_urls().values(),
        "/planer/kraeftplan-v/",
        "/initiativer/kraeftplan-v/anbefaling-1/",
        "/initiativer/?aar=2020&status=delayed",
        "/tilgaengelighed/",
        "/om-data/",
        "/rapporter/",
        report,
        f"{report}v1/",
        "/log-ind/",
        "/soeg/?q=tidsplanen",
    ]


def html_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def crumbs_of(html: str) -> list[tuple[str, str | None]]:
    """(label, address) of the breadcrumbs; the current page has no address."""
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)
    if nav is None:
        return []
    crumbs = []
    for item in re.findall(r"<li[^>]*>(.*?)</li>", nav[0], re.S):
        href = re.search(r'href="([^"]+)"', item)
        crumbs.append((unescape(re.sub(r"<[^>]+>", "", item)).strip(), href and href[1]))
    return crumbs


def test_every_public_page_but_the_home_page_has_breadcrumbs_in_both_languages(client):
    for danish in public_pages():
        pairs = ((danish, "/", "Overblik"), ("/en" + danish, "/en/", "Overview"))
        for url, home, overview in pairs:
            crumbs = crumbs_of(html_of(client, url))
            if danish == "/":
                assert crumbs == [], url
                continue
            assert crumbs[0] == (overview, home), (url, crumbs)
            assert len(crumbs) >= 2 and crumbs[-1][1] is None, (url, crumbs)
            assert all(address for _label, address in crumbs[:-1]), (url, crumbs)


def test_the_breadcrumbs_name_the_page_and_its_parents(client):
    assert crumbs_of(html_of(client, "/rapporter/")) == [("Overblik", "/"), ("Rapporter", None)]
    budget = crumbs_of(html_of(client, "/en/budget/kraeftplan-iv/"))
    assert budget == [
        ("Overview", "/en/"),
        ("Plans", "/en/planer/"),
        ("Kræftplan IV", "/en/planer/kraeftplan-iv/"),
        ("Budget", None),
    ]
    html = html_of(client, "/en/budget/kraeftplan-iv/")
    nav = re.search(r'<nav class="breadcrumbs".*?</nav>', html, re.S)[0]
    # The plan's name is Danish data on an English page; the portal's own words are not.
    assert 'lang="da">Kræftplan IV</a>' in nav and 'lang="da">Plans' not in nav


def test_every_danish_page_has_its_english_counterpart_and_each_links_the_other(client):
    for danish in public_pages():
        english = "/en" + danish
        links_da = dict(language_links(html_of(client, danish)))
        links_en = dict(language_links(html_of(client, english)))
        assert links_da == links_en == {"da": danish, "en": english}, danish
        assert '<html lang="en">' in html_of(client, english)


def language_links(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="kp-language-switch".*?</nav>', html, re.S)[0]
    assert "<form" not in nav
    links = re.findall(r'href="([^"]*)" lang="(\w+)"', nav)
    return [(lang, unescape(href)) for href, lang in links]


def test_the_header_has_a_phone_menu_with_and_without_javascript(client):
    html = html_of(client, "/")
    header = re.search(r"<header.*?</header>", html, re.S)[0]
    head = html[: html.index("</head>")]
    # DKFDS's script and ours, from our static files, deferred; nothing inline.
    assert '<script src="/static/vendor/dkfds/js/dkfds.min.js" defer></script>' in head
    assert '<script src="/static/js/portal.js" defer></script>' in head
    for attributes in re.findall(r"<script\b([^>]*)>", html):
        assert " src=" in attributes or 'type="application/json"' in attributes, attributes
    # With JavaScript: DKFDS's button opens its drawer.
    assert re.search(r'<button type="button" class="[^"]*js-menu-open[^"]*">Menu</button>', header)
    drawer = re.search(r'<nav class="mobile-drawer".*?</nav>', header, re.S)[0]
    assert "js-menu-close" in drawer
    # Without: a disclosure whose links need no script.
    fallback = re.search(r'<details class="kp-menu-fallback">.*?</details>', header, re.S)[0]
    assert "<summary" in fallback
    for menu in (drawer, fallback):
        assert 'href="/rapporter/"' in menu and 'href="/maal/"' in menu
        assert 'href="/initiativer/"' in menu and 'href="/planer/"' in menu


def test_the_favicon_print_sheet_and_scripts_are_our_own_static_files(client):
    html = html_of(client, "/")
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    ours = ("img/favicon.svg", "css/print.css", "js/portal.js", "vendor/dkfds/js/dkfds.min.js")
    for name in ours:
        assert finders.find(name), name


def test_the_footer_has_the_way_in_for_contributors_and_staff(client, editor_rh):
    footer = re.search(r"<footer.*?</footer>", html_of(client, "/"), re.S)[0]
    assert '<a class="function-link" href="/log-ind/">Log ind (bidragydere og ministeriet)</a>' in (
        footer
    )
    english = re.search(r"<footer.*?</footer>", html_of(client, "/en/"), re.S)[0]
    assert 'href="/en/log-ind/">Log in (contributors and staff)</a>' in english
    client.force_login(editor_rh)
    footer = re.search(r"<footer.*?</footer>", html_of(client, "/"), re.S)[0]
    assert "/log-ind/" not in footer and 'href="/bidrag/"' in footer


# Tables that scroll by themselves


def render(markup: str) -> str:
    """The filter on rendered (safe) HTML, as base.html applies it."""
    return Template("{% load kp %}{{ markup|scrollable_tables }}").render(
        Context({"markup": mark_safe(markup)})
    )


REGION = '<div class="kp-table-scroll" role="region" tabindex="0" aria-label="{}">'


def test_a_table_gets_a_focusable_region_named_by_its_caption():
    table = (
        '<table class="table"><caption>Penge &amp; <span>år</span></caption>'
        "<tr><td>1</td></tr></table>"
    )
    with translation.override("da"):
        assert render(f"<p>x</p>{table}<p>y</p>") == (
            f"<p>x</p>{REGION.format('Penge &amp; år')}{table}</div><p>y</p>"
        )


def test_a_table_without_caption_is_a_region_named_as_the_table_or_table():
    with translation.override("da"):
        assert 'aria-label="Tabel"><table><tr>' in render("<table><tr><td>1</td></tr></table>")
        labelled = render('<table aria-label="Initiativer"><tr><td>1</td></tr></table>')
        assert labelled.startswith(REGION.format("Initiativer"))


def test_a_table_already_in_a_region_is_left_alone():
    markup = f"{REGION.format('x')}\n<div><table></table></div></div>"
    assert render(markup) == markup


def test_a_table_inside_a_table_is_part_of_the_outer_tables_region():
    inner = "<table><caption>Indre</caption><tr><td>2</td></tr></table>"
    outer = f"<table><tr><td>{inner}</td></tr><tr><td>3</td></tr></table>"
    assert render(f"<p>{outer}</p>") == f"<p>{REGION.format('Tabel')}{outer}</div></p>"
    # The outer table's own caption names it, not one of a table inside it.
    captioned = outer.replace("<table><tr>", "<table><caption>Ydre</caption><tr>", 1)
    assert render(captioned) == f"{REGION.format('Ydre')}{captioned}</div>"


def test_table_tags_in_comments_scripts_attributes_and_text_are_no_tables():
    markup = (
        "<!-- <table><caption>Kommentar</caption></table> -->"
        '<a title="<table>" href="#">x</a>'
        '<script type="application/json">{"html": "<table></table>"}</script>'
        "<pre>&lt;table&gt;</pre><table-of-contents></table-of-contents><p>x</p>"
    )
    assert render(markup) == markup
    # The table after them is found where it is, named by its caption.
    table = "<TABLE class='t'><CAPTION>Store bogstaver</CAPTION></TABLE>"
    assert render(markup + table) == f"{markup}{REGION.format('Store bogstaver')}{table}</div>"


def test_text_not_marked_safe_is_escaped_not_wrapped():
    result = Template("{% load kp %}{{ markup|scrollable_tables }}").render(
        Context({"markup": "<table><tr><td><script>alert(1)</script></td></tr></table>"})
    )
    assert result == (
        "&lt;table&gt;&lt;tr&gt;&lt;td&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;"
    )


def test_no_template_writes_a_scroll_region_of_its_own():
    # One mechanism: base.html's filter gives every table its region.
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        assert "table--responsive-scroll" not in text and 'class="kp-table-scroll' not in text, path


def test_every_table_on_the_public_pages_scrolls_in_a_named_region_of_its_own(client):
    for danish in public_pages():
        for url in (danish, "/en" + danish):
            html = html_of(client, url)
            main = html[html.index("<main") : html.index("</main>")]
            spans = tables_of(main)
            regions = re.findall(r'<div class="kp-table-scroll"[^>]*>', main)
            assert len(regions) == len(spans), url
            for span in spans:
                last_tag = main[main.rindex("<", 0, span.start) : span.start].strip()
                assert last_tag.startswith('<div class="kp-table-scroll"'), (url, last_tag)
                for attribute in ('role="region"', 'tabindex="0"'):
                    assert attribute in last_tag, (url, last_tag)
                # Named as the table is: the generic name only for a table with no name.
                assert f'aria-label="{escape(span.name)}"' in last_tag, (url, last_tag)
                assert span.name, (url, main[span.start : span.start + 200])


def test_a_published_report_shows_its_frozen_tables_byte_for_byte(client):
    version = ReportVersion.objects.select_related("report__plan").order_by("pk").first()
    html = html_of(client, f"/rapporter/{version.report.plan.slug}/{version.report.year}/")
    tables = re.findall(r"<table\b.*?</table>", version.web_html, re.S)
    assert tables
    for table in tables:
        assert table in html


# Danish data on English pages


def test_english_pages_mark_danish_data_and_danish_pages_need_no_marks(client):
    english = html_of(client, "/en/initiativer/")
    assert re.search(r'<td lang="da"[^>]*><a href="/en/initiativer/kraeftplan-iv/12/">', english)
    assert re.search(r'<span lang="da">Følger tidsplanen</span>', english)
    danish = html_of(client, "/initiativer/")
    assert 'lang="da"' not in danish[danish.index("<main") :]
    plan = html_of(client, "/en/planer/kraeftplan-iv/")
    assert '<h1><span lang="da">Kræftplan IV' in plan
    # A status is the published wording (Danish) beside its category (in the page's language).
    assert re.search(r'<span lang="da">Følger tidsplanen</span> – On track \(\d+ measures?\)', plan)
    version = ReportVersion.objects.select_related("report__plan").order_by("pk").first()
    url = f"/en/rapporter/{version.report.plan.slug}/{version.report.year}/"
    report = html_of(client, url)
    assert '<div class="kp-report-body" lang="da">' in report
    assert re.search(r'<h1><span lang="da">[^<]+</span></h1>', report)


def test_dates_are_danish_on_danish_pages_and_english_on_english_ones(client):
    danish = html_of(client, "/rapporter/")
    english = html_of(client, "/en/rapporter/")
    months = "januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december"
    assert re.search(rf"<td>\d{{1,2}}\. ({months}) \d{{4}}</td>", danish)
    assert not re.search(rf"\b({months}) \d{{4}}", english[english.index("<main") :])
    assert re.search(r"<td>[A-Z][a-z]{2,3}\.? \d{1,2}, \d{4}</td>", english)


def test_the_paging_links_are_a_pager_that_shows_on_a_phone(client):
    html = html_of(client, "/initiativer/")
    pager = re.search(r'<nav class="pagination kp-pager".*?</nav>', html, re.S)[0]
    assert "Næste side" in pager


def test_a_missing_object_at_a_known_address_is_a_404_page_without_breadcrumbs(client):
    # The address names a kind of page (a target, a plan's budget), but there is no such thing:
    # the page is the 404 page, which sits nowhere in the portal's tree.
    for url in ("/maal/99999/", "/en/maal/99999/", "/budget/ingen-plan/", "/rapporter/x/2020/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert crumbs_of(response.content.decode()) == [], url


def test_every_public_page_names_its_counterparts_in_the_head_for_search_engines(client):
    for danish in public_pages():
        for url in (danish, "/en" + danish):
            html = html_of(client, url)
            head = html[: html.index("</head>")]
            links = re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', head)
            assert [(code, unescape(href)) for code, href in links] == [
                ("da", f"http://testserver{danish}"),
                ("en", f"http://testserver/en{danish}"),
                ("x-default", f"http://testserver{danish}"),
            ], url


def test_a_page_at_an_address_that_leads_nowhere_names_no_counterparts(client):
    for url in ("/ingen-side/", "/en/ingen-side/"):
        response = client.get(url)
        assert response.status_code == 404
        assert 'rel="alternate"' not in response.content.decode()


def test_the_login_and_password_pages_say_where_they_are(client, editor_rh):
    login, forgotten = ("Log ind", "/log-ind/"), ("Glemt adgangskode", "/adgangskode/glemt/")
    pages = {
        "/adgangskode/glemt/sendt/": [login, forgotten, ("Se i din e-mail", None)],
        "/adgangskode/ny/MQ/forkert-noegle/": [login, ("Vælg en ny adgangskode", None)],
        "/adgangskode/ny/faerdig/": [login, ("Adgangskoden er gemt", None)],
    }
    for url, trail in pages.items():
        assert crumbs_of(html_of(client, url)) == [("Overblik", "/"), *trail], url
    client.force_login(editor_rh)
    change = ("Skift adgangskode", "/adgangskode/skift/")
    assert crumbs_of(html_of(client, "/adgangskode/skift/"))[1:] == [(change[0], None)]
    done = crumbs_of(html_of(client, "/adgangskode/skift/faerdig/"))
    assert done == [("Overblik", "/"), change, ("Adgangskoden er skiftet", None)]
