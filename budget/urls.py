from django.urls import path

from . import views

app_name = "budget"

urlpatterns = [
    path("budget/<slug:plan_slug>/", views.BudgetView.as_view(), name="budget_detail"),
]
