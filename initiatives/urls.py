from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("initiativer/", views.InitiativeListView.as_view(), name="initiative_list"),
]
