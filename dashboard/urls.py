from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("planer/", views.PlanListView.as_view(), name="plan_list"),
    path("planer/<slug:slug>/", views.PlanDetailView.as_view(), name="plan_detail"),
    path(
        "initiativer/<slug:plan_slug>/<slug:code>/",
        views.InitiativeDetailView.as_view(),
        name="initiative_detail",
    ),
]
