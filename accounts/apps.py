from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # the module holds LockoutConfig too
    name = "accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from .roles import ensure_ministry_group_after_migrate

        post_migrate.connect(ensure_ministry_group_after_migrate, dispatch_uid="ministry-group")


class LockoutConfig(AxesAppConfig):  # type: ignore[misc]
    """django-axes under a Danish name in the admin (INSTALLED_APPS lists this, not "axes")."""

    default = False
    verbose_name = _("Login lockout")


# Texts of django-simple-history's admin pages that its own catalogue has no Danish for; marked
# here so that makemessages puts them in ours.
HISTORY_TEXTS = (
    _("Created"),
    _("Changed"),
    _("Deleted"),
    _("Revert"),
    _("Revert %(verbose_name)s"),
    _("Revert %s"),
    _("View %s"),
    _("View %(verbose_name)s"),
    _("Press the 'Revert' button below to revert to this version of the object."),
)
