"""Webhook endpoints and the log of every delivery attempt to them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_URL = 500


class WebhookEndpoint(models.Model):
    url = models.CharField(_("URL"), max_length=MAX_URL)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # CaseEvent values; empty: every event, including those added in later versions.
    event_types = models.JSONField(_("event types"), default=list, blank=True)
    # Kept as given to the receiver: signing needs the key itself, not a hash of it.
    secret = models.CharField(_("signing secret"), max_length=100)
    enabled = models.BooleanField(_("enabled"), default=True)
    # The last error when it was disabled after consecutive_failures failures.
    disabled_reason = models.CharField(_("why disabled"), max_length=300, blank=True)
    disabled_at = models.DateTimeField(_("disabled at"), null=True, blank=True)
    consecutive_failures = models.PositiveIntegerField(_("consecutive failures"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return not self.event_types or event in self.event_types


class WebhookDelivery(models.Model):
    """One attempt to deliver one message: kept for the administrators, never changed."""

    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # The outbox row may be purged later; the webhook-id stays to match the receiver's log.
    message = models.ForeignKey(
        "notify.OutboxMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    webhook_id = models.CharField(_("webhook-id"), max_length=40)
    event_type = models.CharField(_("event type"), max_length=60)
    attempt = models.PositiveSmallIntegerField(_("attempt"))
    status_code = models.PositiveSmallIntegerField(_("response status"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [
            models.Index(fields=["endpoint", "-id"], name="webhook_delivery_recent"),
        ]

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
