from django.urls import path

from . import contribution_views, round_opening, views

app_name = "initiatives"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("planer/", views.PlanListView.as_view(), name="plan_list"),
    path("planer/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path("initiativer/", views.InitiativeListView.as_view(), name="initiative_list"),
    path(
        "initiativer/<slug:plan_slug>/<slug:code>/",
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
    path("bidrag/", contribution_views.contribution_list, name="contribution_list"),
    path("bidrag/runder/ny/", round_opening.round_open, name="round_open"),
    path("bidrag/runder/<int:pk>/", contribution_views.round_overview, name="round_overview"),
    path(
        "bidrag/runder/<int:pk>/konsolider/",
        contribution_views.round_consolidate,
        name="round_consolidate",
    ),
    path("bidrag/<int:pk>/", contribution_views.contribution_detail, name="contribution_detail"),
    path(
        "bidrag/<int:pk>/excel/", contribution_views.contribution_excel, name="contribution_excel"
    ),
    path(
        "bidrag/<int:pk>/excel/indlaes/",
        contribution_views.contribution_upload,
        name="contribution_upload",
    ),
    path(
        "bidrag/<int:pk>/excel/anvend/",
        contribution_views.contribution_apply,
        name="contribution_apply",
    ),
    path(
        "bidrag/<int:pk>/returner/",
        contribution_views.contribution_return,
        name="contribution_return",
    ),
    path(
        "bidrag/<int:pk>/godkend/",
        contribution_views.contribution_approve,
        name="contribution_approve",
    ),
]
