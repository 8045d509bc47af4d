from typing import TYPE_CHECKING, Any

from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from kraeftplan.admin_base import (
    HistoryAdmin,
    StackedInline,
    VersionedAdminForm,
    ViewOnlyAdmin,
    with_seen_version,
)

from .models import Membership, Organisation, PasswordResetRequest
from .views import send_password_link

if TYPE_CHECKING:
    from django.contrib.auth.models import User
else:
    User = get_user_model()


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class MembershipInline(StackedInline[Membership, User]):
    model = Membership
    max_num = 1
    extra = 1
    autocomplete_fields = ["organisation"]
    verbose_name = _("organisation and role")
    verbose_name_plural = _("organisation and role")


admin.site.unregister(User)

# What only a superuser may grant.
PRIVILEGES = ["is_staff", "is_superuser", "groups", "user_permissions"]


class VersionedUserChangeForm(VersionedAdminForm, UserChangeForm[User]):
    """The user form with the admin's conflict check: two staff editing one user cannot
    overwrite each other (e.g. reactivate a user someone just deactivated)."""


@admin.register(User)
class PortalUserAdmin(UserAdmin[User]):
    """Ministry staff create the contributors' users, with organisation and role, and send
    them a link to choose a password. Privileges, and other staff and superusers, stay with the
    superusers, so that nobody can raise their own rights or take over an account above them."""

    inlines = [MembershipInline]
    list_display = ["username", "email", "organisation", "role", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "membership__role", "membership__organisation"]
    list_select_related = ["membership__organisation"]
    actions = ["send_password_links"]
    form = VersionedUserChangeForm

    def get_fieldsets(self, request: HttpRequest, obj: User | None = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is None else with_seen_version(fieldsets)

    @admin.display(description=_("organisation"), ordering="membership__organisation__name")
    def organisation(self, obj: User) -> Organisation | str:
        membership: Membership | None = getattr(obj, "membership", None)
        return membership.organisation if membership else "–"

    @admin.display(description=_("role"), ordering="membership__role")
    def role(self, obj: User) -> str:
        membership: Membership | None = getattr(obj, "membership", None)
        return membership.get_role_display() if membership else "–"

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else [*fields, *PRIVILEGES]

    def _above(self, request: HttpRequest, obj: User | None) -> bool:
        return (
            obj is not None
            and not request.user.is_superuser
            and (obj.is_superuser or (obj.is_staff and obj.pk != request.user.pk))
        )

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_change_permission(request, obj) and not self._above(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._above(request, obj)

    @admin.action(description=_("Send a link to choose a password"))
    def send_password_links(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        sent = 0
        skipped: list[str] = []
        for user in queryset.order_by("username"):
            if user.email and user.is_active and self.has_change_permission(request, user):
                send_password_link(request, user)
                sent += 1
            else:
                skipped.append(user.get_username())
        if sent:
            self.message_user(request, _("%(n)s e-mail(s) sent.") % {"n": sent}, messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                _(
                    "Not sent to %(users)s: no e-mail address, not active, or a user you may "
                    "not change."
                )
                % {"users": ", ".join(skipped)},
                messages.WARNING,
            )


# Axes' models carry English names; these give the admin its Danish ones (locale/da).
AXES_LABELS = (
    _("access attempt"),
    _("access attempts"),
    _("Username"),
    _("IP Address"),
    _("User Agent"),
    _("Failed Logins"),
    _("Attempt Time"),
)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ViewOnlyAdmin, admin.ModelAdmin[AccessAttempt]):
    """Failed logins per user name (as the lockout reads it) and client; deleting a user name's
    rows lifts its lockout at once."""

    deletable = True
    list_display = ["username", "ip_address", "failures_since_start", "attempt_time"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = ["username", "ip_address", "user_agent", "failures_since_start", "attempt_time"]
    readonly_fields = [
        "username",
        "ip_address",
        "user_agent",
        "failures_since_start",
        "attempt_time",
    ]


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(ViewOnlyAdmin, admin.ModelAdmin[PasswordResetRequest]):
    """Requests for a password e-mail, kept to throttle them; deleting lifts the throttle."""

    deletable = True
    list_display = ["address", "client", "at"]
    search_fields = ["address", "client"]
    readonly_fields = ["address", "client", "at"]
