"""What search engines and browsers ask for by convention: /favicon.ico, /robots.txt and the
sitemaps (/sitemap.xml, an index of the sections' pages; see kraeftplan.sitemaps).

Both are language-neutral addresses outside the language prefixes, public pages like the others
(stored by kraeftplan.pagecache, with the security headers). Their absolute addresses use the
request's scheme and host, so they are what the reader asked for: a host outside ALLOWED_HOSTS
is a 400, and behind the proxy the scheme is the one it reports (SECURE_PROXY_SSL_HEADER).
"""

from functools import cache
from os.path import commonpath

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from .sitemaps import sections

app_name = "crawlers"

# The areas for logged-in users (each is a page a crawler would be sent to log in): the
# addresses these URL names share, in every language.
PRIVATE_AREAS = [
    ("admin:index",),
    ("contributions:contribution_list",),
    ("login",),
    ("logout",),
    ("password_change", "password_reset"),
]


@cache
def private_prefixes() -> list[str]:
    prefixes = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for names in PRIVATE_AREAS:
                prefixes.append(commonpath([reverse(name) for name in names]) + "/")
    return prefixes


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    """Every public page may be read; the areas for logged-in users are not for crawlers."""
    lines = ["User-agent: *", *(f"Disallow: {prefix}" for prefix in private_prefixes())]
    lines += ["Allow: /", "", f"Sitemap: {request.build_absolute_uri(reverse('crawlers:sitemap'))}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request: HttpRequest) -> HttpResponse:
    """The index: the address of every page of every section."""
    response: HttpResponse = sitemap_views.index(
        request, sitemaps=sections(), sitemap_url_name="crawlers:sitemap_section"
    )
    return response


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    """One page (?p=2, …) of one section."""
    response: HttpResponse = sitemap_views.sitemap(request, sitemaps=sections(), section=section)
    return response


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """/favicon.ico, which browsers and crawlers ask for whatever the page links: the portal's
    icon (the pages link it in base.html)."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_section, name="sitemap_section"),
]
