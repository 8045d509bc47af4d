"""URLs of the plain content pages."""

from django.urls import path
from django.views.generic import TemplateView

app_name = "pages"

urlpatterns = [
    path(
        "tilgaengelighed/",
        TemplateView.as_view(template_name="pages/accessibility.html"),
        name="accessibility",
    ),
    path(
        "om-data/", TemplateView.as_view(template_name="pages/about_data.html"), name="about_data"
    ),
]
