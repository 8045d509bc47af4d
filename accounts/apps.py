from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import security  # noqa: F401 - connects the login signal receivers
        from .roles import ensure_ministry_group_after_migrate

        post_migrate.connect(ensure_ministry_group_after_migrate, dispatch_uid="ministry-group")
