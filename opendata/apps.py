from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from initiatives.models import public_year_changed

        from .datazip import ALWAYS_PUBLIC, queue_rebuild, rebuild_after_edit

        public_year_changed.connect(queue_rebuild, dispatch_uid="opendata.queue_rebuild")
        # Plans, budget lines, targets and the like are public as soon as they are saved: an
        # edit in the admin queues a rebuild too (one, however many rows a save touches).
        for label in ALWAYS_PUBLIC:
            model = apps.get_model(label)
            for signal in (post_save, post_delete):
                signal.connect(
                    rebuild_after_edit, sender=model, dispatch_uid=f"opendata.zip:{label}"
                )
