from django.urls import path

from . import round_management, round_opening, views

app_name = "contributions"

urlpatterns = [
    path("bidrag/", views.contribution_list, name="contribution_list"),
    path("bidrag/runder/ny/", round_opening.round_open, name="round_open"),
    path("bidrag/runder/<int:pk>/", views.round_overview, name="round_overview"),
    path("bidrag/runder/<int:pk>/styr/", round_management.round_manage, name="round_manage"),
    path("bidrag/runder/<int:pk>/konsolider/", views.round_consolidate, name="round_consolidate"),
    path("bidrag/<int:pk>/", views.contribution_detail, name="contribution_detail"),
    path("bidrag/<int:pk>/excel/", views.contribution_excel, name="contribution_excel"),
    path("bidrag/<int:pk>/excel/indlaes/", views.contribution_upload, name="contribution_upload"),
    path("bidrag/<int:pk>/excel/anvend/", views.contribution_apply, name="contribution_apply"),
    path("bidrag/<int:pk>/returner/", views.contribution_return, name="contribution_return"),
    path("bidrag/<int:pk>/godkend/", views.contribution_approve, name="contribution_approve"),
]
