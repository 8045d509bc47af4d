from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("maal/", views.TargetListView.as_view(), name="target_list"),
    path("maal/<int:pk>/", views.TargetDetailView.as_view(), name="target_detail"),
    path("indikatorer/<int:pk>.<slug:fmt>", views.indicator_download, name="indicator_download"),
]
