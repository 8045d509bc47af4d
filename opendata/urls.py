from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("api/v1/", views.index, name="api_index"),
    path("api/v1/openapi.json", views.openapi, name="openapi"),
    path("api/v1/<slug:name>/", views.resource_list, name="api_list"),
    path("data/kraeftplan-data.zip", views.data_zip, name="data_zip"),
]
