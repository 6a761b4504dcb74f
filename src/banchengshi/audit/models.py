from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImmutableEventError(RuntimeError):
    pass


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("sequence"), unique=True)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=40)
    at = models.DateTimeField(_("at"))
    before: Any = models.JSONField(_("before"), default=dict)
    after: Any = models.JSONField(_("after"), default=dict)
    payload: Any = models.JSONField(_("details"), default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["case", "seq"], name="audit_case_seq")]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableEventError("audit events are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableEventError("audit events are never deleted")


class AuditHead(models.Model):
    """The chain's end; locked by each append, so events get gap-free sequence numbers."""

    last_seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)


class PersonalDataView(models.Model):
    """One look at a petitioner's unmasked phone, ID number or credit code (R-Q-3): who,
    when, which case (or remote session, or assistance request), which fields, from which
    page or API path. A bulk export of the ledger is one row with the number of its rows.
    Written by `audit.personal_data`, read by the inspector (`/staff/inspect/pii-views/`)."""

    at = models.DateTimeField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The user's name then; the command line (an export by the ledger command) has no user.
    user_label = models.CharField(max_length=150)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What was looked at, as the inspector searches by it, the same in every language: a
    # tracking number, "remote session 12", "assistance request 3", "ledger 2026-11".
    subject = models.CharField(max_length=64)
    # Comma-separated: phone, id_number, credit_code.
    fields = models.CharField(max_length=64)
    path = models.CharField(max_length=300)
    rows = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["-at", "-id"], name="pii_view_at"),
            models.Index(fields=["user", "-at"], name="pii_view_user"),
            models.Index(fields=["subject", "-at"], name="pii_view_subject"),
        ]
