from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

# No app_name: Django's own auth views and LOGIN_URL reverse these names without a namespace.

urlpatterns = [
    path("log-ind/", views.LoginView.as_view(), name="login"),
    path("log-ud/", auth_views.LogoutView.as_view(), name="logout"),
    path("adgangskode/skift/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "adgangskode/skift/faerdig/",
        views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("adgangskode/glemt/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "adgangskode/glemt/sendt/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "adgangskode/ny/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "adgangskode/ny/faerdig/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
