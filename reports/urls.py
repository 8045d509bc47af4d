from django.urls import path

from . import api, views

app_name = "reports"

urlpatterns = [
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path("api/v1/<slug:name>/", api.resource_list, name="api_list"),
    path("data/kraeftplan-data.zip", api.data_zip, name="data_zip"),
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
