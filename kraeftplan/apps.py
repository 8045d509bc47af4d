from django.apps import AppConfig
from django.db.backends.signals import connection_created


class KraeftplanConfig(AppConfig):
    name = "kraeftplan"
    verbose_name = "Kræftplan-portalen"

    def ready(self) -> None:
        from . import checks  # noqa: F401  # registers the deploy checks
        from .pagecache import connect_migrate, connect_signals
        from .sqlite import install_unicode_like

        connect_signals()
        connect_migrate(self)
        connection_created.connect(install_unicode_like, dispatch_uid="kraeftplan_unicode_like")
