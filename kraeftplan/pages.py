"""URLs of the plain content pages."""

from django.conf import settings
from django.urls import path
from django.views.generic import TemplateView

app_name = "pages"

urlpatterns = [
    path(
        "tilgaengelighed/",
        TemplateView.as_view(
            template_name="pages/accessibility.html",
            # The cookie section states how long a login lasts.
            extra_context={"session_hours": settings.SESSION_COOKIE_AGE // 3600},
        ),
        name="accessibility",
    ),
    path(
        "om-data/", TemplateView.as_view(template_name="pages/about_data.html"), name="about_data"
    ),
]
