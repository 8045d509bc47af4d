"""URLs of the plain content pages."""

from datetime import date
from typing import Any

from django.conf import settings
from django.urls import path
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from kraeftplan.feedback import FeedbackView
from kraeftplan.views import crumbs

app_name = "pages"

# The accessibility statement (templates/pages/accessibility.html): when it was prepared and
# when it was last reviewed against the portal. Review it with every change to what it lists
# (the known limitations, the cookies, the tests), and at least once a year.
STATEMENT_PREPARED = date(2026, 12, 1)
STATEMENT_REVIEWED = date(2026, 12, 1)


class AccessibilityStatementView(TemplateView):
    template_name = "pages/accessibility.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            # The cookie section states how long a login lasts.
            session_hours=settings.SESSION_COOKIE_AGE // 3600,
            prepared=STATEMENT_PREPARED,
            reviewed=STATEMENT_REVIEWED,
            feedback_email=settings.KRAEFTPLAN_FEEDBACK_EMAIL,
            crumbs=crumbs((_("Accessibility statement"), None)),
            **kwargs,
        )


class AboutDataView(TemplateView):
    template_name = "pages/about_data.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(crumbs=crumbs((_("About the data"), None)), **kwargs)


urlpatterns = [
    path("tilgaengelighed/", AccessibilityStatementView.as_view(), name="accessibility"),
    path("tilgaengelighed/skriv/", FeedbackView.as_view(), name="feedback"),
    path("om-data/", AboutDataView.as_view(), name="about_data"),
]
