from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Plans and initiatives")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .roles import ensure_ministry_group_after_migrate

        post_migrate.connect(ensure_ministry_group_after_migrate, dispatch_uid="ministry-group")
