"""Shared model pieces."""

from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise  # the stubs' type of a lazy text


def acting_user(verbose_name: "str | _StrPromise") -> "models.ForeignKey[Any]":
    """Who did something to a record (opened, closed, published it): a user, kept as empty when
    the account is deleted, and with no way back from the user to the records."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )


class EditConflict(Exception):
    """Someone else saved the record after the writer opened it."""


class RevisionedModel(models.Model):
    """A record that several people may edit at once: every save raises its revision, and a
    writer who opened revision N may only save over revision N (optimistic locking)."""

    revision = models.PositiveIntegerField(
        _("revision"), default=1, help_text=_("Raised on every save; guards against lost edits.")
    )

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            # One above the stored revision, never below it: a row saved from an older copy
            # (the admin's history revert) still moves on, so a writer who opened the
            # revision before the revert meets a conflict.
            stored = (
                type(self)._default_manager.filter(pk=self.pk).values_list("revision", flat=True)
            ).first()
            self.revision = max(self.revision, stored or 0) + 1
        super().save(*args, **kwargs)

    @classmethod
    def locked(cls, seen: int | None, **lookup: Any) -> Self | None:
        """The row, locked until the transaction ends (None if there is none). seen: the
        revision the writer opened (0 for a row that did not exist yet; None to skip the
        check); EditConflict if the row has moved on since."""
        current = cls._default_manager.select_for_update().filter(**lookup).first()
        if seen is not None and (current.revision if current else 0) != seen:
            raise EditConflict
        return current


class PublicDataVersion(models.Model):
    """One row whose token changes with every change the public can see (kraeftplan.pagecache).
    Stored pages are keyed by the token, so a change makes every stored page unreachable at
    once, in every process that shares the database."""

    token = models.CharField(_("token"), max_length=32)
    changed_at = models.DateTimeField(_("changed at"))
    next_change_at = models.DateTimeField(
        _("next change at"),
        null=True,
        blank=True,
        help_text=_("When an embargo next ends: the public data change then without an edit."),
    )

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


MAX_FEEDBACK = 5000  # characters in a feedback message


class Feedback(models.Model):
    """A message sent with the accessibility statement's feedback form: what a reader could not
    read or do. The ministry's staff read and handle it in the admin (and get it by e-mail at
    FEEDBACK_EMAIL when that is set). The sender's e-mail address is kept only if given."""

    message = models.TextField(_("message"), validators=[MaxLengthValidator(MAX_FEEDBACK)])
    page = models.CharField(_("page concerned"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail address for an answer"), blank=True)
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("accessibility feedback")
        verbose_name_plural = _("accessibility feedback")
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.received_at:%Y-%m-%d %H:%M} {self.message[:60]}"
