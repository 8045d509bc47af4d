from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from kraeftplan.health import healthz

# The language is in the address (/en/… for English), so a link switches it and no cookie
# remembers it. The API and the data files are in Danish at one address; robots.txt and the
# sitemaps list both languages.
urlpatterns: list[URLPattern | URLResolver] = [
    # Answered by kraeftplan.middleware.HealthCheckMiddleware before anything else (so without
    # the pages' headers, which tests/test_headers.py requires of every named page); the route
    # serves it where that middleware is left out.
    path("healthz", healthz),
    path("", include("opendata.urls")),
    path("", include("kraeftplan.crawlers")),
]
urlpatterns += i18n_patterns(
    path("", include("reports.urls")),
    path("", include("dashboard.urls")),
    path("", include("initiatives.urls")),
    path("", include("contributions.urls")),
    path("", include("budget.urls")),
    path("", include("targets.urls")),
    path("", include("search.urls")),
    path("", include("kraeftplan.pages")),
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    prefix_default_language=False,
)

handler500 = "kraeftplan.views.server_error"

if settings.DEBUG:  # pragma: no cover - development only
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
