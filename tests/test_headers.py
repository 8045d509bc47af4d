"""Security headers on every public page, download, API answer and admin page; cookies only
where a form needs them; the language links that replaced the cookie-setting language form."""

import re
from html import unescape

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, path, resolve, reverse

from reports.models import AnnualReport
from targets.models import Indicator
from tests.conftest import render_published_pdfs
from tests.test_public_pages import page_urls, text_of

pytestmark = pytest.mark.django_db

PORTAL_APPS = ["accounts", "initiatives", "budget", "targets", "contributions", "reports"]
# Pages for logged-in users, which may set csrftoken and sessionid; every other named URL is
# public and must appear in public_urls().
NOT_PUBLIC = {"contributions", "admin", "login", "logout"}
# Public addresses that only redirect to a file (tests/test_crawlers.py), not pages.
REDIRECTS = {"crawlers:favicon"}
# Public forms: they set the CSRF cookie, as the accessibility statement says (tests below).
FORMS = {"pages:feedback": "/tilgaengelighed/skriv/"}


def public_urls():
    """Every public page in Danish and English, the report pages, the downloads, the API and
    what crawlers read."""
    report = AnnualReport.objects.filter(versions__isnull=False).select_related("plan").first()
    indicator = Indicator.objects.order_by("pk").first()
    pages = [
        *page_urls().values(),
        "/initiativer/?aar=2020&status=delayed",
        "/tilgaengelighed/",
        "/om-data/",
        "/rapporter/",
        f"/rapporter/{report.plan.slug}/{report.year}/",
        f"/rapporter/{report.plan.slug}/{report.year}/v1/",
        "/soeg/",
        "/soeg/?q=udviklingsfasen",
        "/findes-ikke/",  # the 404 page is a page too
    ]
    downloads = [
        f"/rapporter/{report.plan.slug}/{report.year}.pdf",
        f"/rapporter/{report.plan.slug}/{report.year}/v1.pdf",
        f"/indikatorer/{indicator.pk}.csv",
        "/initiativer/?hent=csv",
        "/budget/kraeftplan-iv/?hent=xlsx",
        "/data/kraeftplan-data.zip",
        "/api/v1/",
        "/api/v1/openapi.json",
        "/api/v1/initiativer/?limit=5",
        "/api/v1/initiativer/?offset=x",  # a Danish 400 has the headers too
        "/robots.txt",
        "/sitemap.xml",
        "/sitemap-planer.xml",
    ]
    return [*pages, *("/en" + url for url in pages), *downloads]


def url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def is_public(name: str) -> bool:
    return (
        name.split(":")[0] not in NOT_PUBLIC
        and not name.startswith("password_")
        and "preview" not in name  # a report preview is for staff
    )


def policy(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    return {
        directive: values
        for directive, *values in (part.split() for part in header.split(";") if part.strip())
    }


def assert_security_headers(response, url):
    csp = policy(response)
    assert csp["default-src"] == ["'self'"], url
    for directive in ("script-src", "style-src"):
        assert csp[directive][0] == "'self'", url
        # Nothing inline runs but what carries this response's nonce; nothing from elsewhere.
        assert all(re.fullmatch(r"'nonce-[\w-]+'", value) for value in csp[directive][1:]), url
    assert set(csp["img-src"]) <= {"'self'", "data:"}, url
    assert csp["font-src"] == ["'self'"], url
    assert csp["object-src"] == ["'none'"], url
    assert csp["base-uri"] == ["'self'"], url
    assert csp["frame-ancestors"] == ["'none'"], url
    assert csp["form-action"] == ["'self'"], url
    features = dict(
        item.strip().split("=", 1) for item in response.headers["Permissions-Policy"].split(",")
    )
    assert {features[f] for f in ("camera", "microphone", "geolocation", "payment")} == {"()"}
    assert response.headers["X-Content-Type-Options"] == "nosniff", url
    assert response.headers["Referrer-Policy"] == "same-origin", url
    assert response.headers["X-Frame-Options"] == "DENY", url


def assert_nothing_inline_without_the_nonce(response, url):
    """What the policy would refuse, in the markup: inline scripts and styles without the nonce
    (a script of type application/json is data, not run), style attributes, event handlers."""
    if not response["Content-Type"].startswith("text/html"):
        return
    html = response.content.decode()
    csp = policy(response)
    nonces = {v[len("'nonce-") : -1] for v in csp["script-src"][1:] + csp["style-src"][1:]}
    for tag, attributes in re.findall(r"<(script|style)\b([^>]*)>", html):
        if 'type="application/json"' in attributes or (tag == "script" and " src=" in attributes):
            continue
        nonce = re.search(r'nonce="([^"]+)"', attributes)
        assert nonce and nonce[1] in nonces, (url, tag, attributes)
    assert not re.search(r"<[^>]+\sstyle=", html), url
    assert not re.search(r"<[^>]+\son[a-z]+=", html), url


def test_every_public_url_is_in_the_list():
    danish = [url for url in public_urls() if not url.startswith("/en/") and "findes" not in url]
    listed = {resolve(url.split("?")[0]).view_name for url in danish}
    public = {name for name in url_names(get_resolver()) if is_public(name)}
    assert public - listed == REDIRECTS | set(FORMS)


def test_public_pages_downloads_and_the_api_send_the_headers_and_no_cookie(client):
    render_published_pdfs()
    for url in public_urls():
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        assert_security_headers(response, url)
        assert_nothing_inline_without_the_nonce(response, url)
        assert "Set-Cookie" not in response.headers and not response.cookies, url
    assert not client.cookies


def test_a_public_form_sends_the_headers_and_only_the_csrf_cookie(client):
    for url in FORMS.values():
        for address in (url, "/en" + url):
            response = client.get(address)
            assert response.status_code == 200, address
            assert_security_headers(response, address)
            assert_nothing_inline_without_the_nonce(response, address)
            assert set(response.cookies) == {"csrftoken"}, address


def admin_urls(ministry):
    """The admin's index, and the list, change and history page of every portal model, and a
    report's correction page."""
    urls = [reverse("admin:index")]
    for model in apps.get_models():
        if model._meta.app_label not in PORTAL_APPS or model not in admin.site._registry:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse("admin:{}_{}_changelist".format(*info)))
        urls.append(reverse("admin:{}_{}_add".format(*info)))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            urls.append(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    report = AnnualReport.objects.filter(versions__isnull=False).first()
    urls.append(reverse("admin:reports_annualreport_correction", args=[report.pk]))
    return urls


def test_the_admin_sends_the_headers_and_marks_its_inline_styles_with_the_nonce(client, ministry):
    login = client.get(reverse("admin:login"))
    assert_security_headers(login, "login")
    client.force_login(ministry)
    nonced = 0
    for url in admin_urls(ministry):
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        assert_security_headers(response, url)
        assert_nothing_inline_without_the_nonce(response, url)
        nonced += "'nonce-" in response.headers["Content-Security-Policy"]
    assert nonced  # the admin's nonce reaches the header where a page uses it


def boom(request):
    raise RuntimeError("a bug")


# The URLconf of test_the_error_page_keeps_its_style_under_the_policy.
urlpatterns = [path("boom/", boom)]
handler500 = "kraeftplan.views.server_error"


@pytest.mark.urls("tests.test_headers")
def test_the_error_page_keeps_its_style_under_the_policy(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert_security_headers(response, "500")
    nonce = re.search(r"'nonce-([\w-]+)'", response.headers["Content-Security-Policy"])[1]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert_nothing_inline_without_the_nonce(response, "500")


# Cookies


def set_cookies(response) -> dict[str, object]:
    return {name: morsel for name, morsel in response.cookies.items() if morsel.value}


def test_only_a_page_with_a_form_sets_csrftoken_and_only_for_the_browser_session(client):
    response = client.get(reverse("login"))
    cookies = set_cookies(response)
    assert set(cookies) == {settings.CSRF_COOKIE_NAME}
    assert cookies[settings.CSRF_COOKIE_NAME]["expires"] == ""
    assert cookies[settings.CSRF_COOKIE_NAME]["max-age"] == ""


def test_logging_in_sets_a_browser_session_cookie_and_messages_need_no_cookie_of_their_own(
    client, ministry
):
    response = client.post(reverse("login"), {"username": "minister", "password": "pw-minister"})
    assert response.status_code == 302
    session = set_cookies(response)[settings.SESSION_COOKIE_NAME]
    assert session["expires"] == "" and session["max-age"] == ""
    # A message after a redirect waits in the session, not in a "messages" cookie.
    report = AnnualReport.objects.filter(versions__isnull=True).first()
    response = client.get(reverse("admin:reports_annualreport_correction", args=[report.pk]))
    assert response.status_code == 302
    assert set(set_cookies(response)) <= {settings.SESSION_COOKIE_NAME}
    shown = client.get(response.url)
    assert 'class="messagelist"' in shown.content.decode()
    assert "messages" not in set_cookies(shown)


def test_the_accessibility_statement_names_every_cookie_and_how_long_it_lives(client, ministry):
    seen = set(set_cookies(client.get(reverse("login"))))
    seen |= set(
        set_cookies(
            client.post(reverse("login"), {"username": "minister", "password": "pw-minister"})
        )
    )
    statement = text_of(client.get("/tilgaengelighed/"))
    assert seen == {"csrftoken", "sessionid"}
    assert all(name in statement for name in seen), statement
    assert "De offentlige sider sætter ingen cookies" in statement
    hours = settings.SESSION_COOKIE_AGE // 3600
    assert f"et log ind udløber efter {hours} timer" in statement
    assert "ud over sprogvalget" not in statement


# The language links


def language_links(response) -> dict[str, str]:
    """{code: address} of the language links, with each link's own lang."""
    nav = re.search(r'<nav class="kp-language-switch".*?</nav>', response.content.decode(), re.S)
    assert nav, "no language links"
    return {
        lang: unescape(href) for href, lang in re.findall(r'<a href="([^"]*)" lang="(\w+)"', nav[0])
    }


@pytest.mark.parametrize(
    "danish",
    [
        "/",
        "/initiativer/",
        "/initiativer/kraeftplan-iv/12/",
        "/initiativer/?aar=2020&status=delayed",
        "/budget/kraeftplan-iv/",
        "/rapporter/kraeftplan-iv/2020/",
        "/tilgaengelighed/",
    ],
)
def test_the_language_links_lead_to_the_same_page_both_ways(client, danish):
    page = client.get(danish)
    links = language_links(page)
    assert links["da"] == danish
    english = links["en"]
    assert english == "/en" + danish
    page_in_english = client.get(english)
    assert page_in_english.status_code == 200
    assert '<html lang="en">' in page_in_english.content.decode()
    assert language_links(page_in_english) == links
    assert 'aria-current="true">English<' in page_in_english.content.decode()
    assert not page.cookies and not page_in_english.cookies


def test_the_language_links_are_named_in_their_own_language(client):
    for url in ("/maal/", "/en/maal/"):
        nav = re.search(
            r'<nav class="kp-language-switch".*?</nav>', client.get(url).content.decode(), re.S
        )[0]
        assert re.search(r'lang="da"[^>]*>Dansk</a>', nav)
        assert re.search(r'lang="en"[^>]*>English</a>', nav)
    assert 'aria-label="Sprog"' in client.get("/maal/").content.decode()


def test_on_a_missing_page_the_language_links_lead_home(client):
    response = client.get("/en/findes-ikke/")
    assert response.status_code == 404
    assert language_links(response) == {"da": "/", "en": "/en/"}


def test_there_is_no_language_form_to_post_to(client):
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 404
