from django.urls import path

from . import api

app_name = "reports"

urlpatterns = [
    path("api/v1/", api.index, name="api_index"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
    path("api/v1/<slug:name>/", api.resource_list, name="api_list"),
    path("data/kraeftplan-data.zip", api.data_zip, name="data_zip"),
]
