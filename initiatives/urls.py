from django.urls import path

from . import views

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
]
