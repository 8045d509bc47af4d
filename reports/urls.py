from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("rapporter/", views.report_list, name="report_list"),
    path("rapporter/<slug:plan_slug>/<int:year>/", views.report_detail, name="report_detail"),
    path("rapporter/<slug:plan_slug>/<int:year>.pdf", views.report_pdf, name="report_pdf"),
    path(
        "rapporter/<slug:plan_slug>/<int:year>/v<int:number>/",
        views.report_detail,
        name="report_version",
    ),
    path(
        "rapporter/<slug:plan_slug>/<int:year>/v<int:number>.pdf",
        views.report_pdf,
        name="report_version_pdf",
    ),
    path(
        "rapporter/<slug:plan_slug>/<int:year>/forhaandsvisning/",
        views.report_preview,
        name="report_preview",
    ),
    path(
        "rapporter/<slug:plan_slug>/<int:year>/forhaandsvisning.pdf",
        views.report_preview_pdf,
        name="report_preview_pdf",
    ),
]
