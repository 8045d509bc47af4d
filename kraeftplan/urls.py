from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kraeftplan.security import LoginForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("reports.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("initiatives.urls")),
    path("", include("budget.urls")),
    path("", include("targets.urls")),
    path("", include("kraeftplan.pages")),
    path("admin/", admin.site.urls),
    path("log-ind/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("kraeftplan.accounts")),
    prefix_default_language=False,
)

if settings.DEBUG:  # pragma: no cover - development only
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
