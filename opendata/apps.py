from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = _("Open data")

    def ready(self) -> None:
        from initiatives.models import public_year_changed

        from .datazip import queue_rebuild

        public_year_changed.connect(queue_rebuild, dispatch_uid="opendata.queue_rebuild")
