from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        NOTICE = "notice", _("notice to a unit")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=100)
    template = models.CharField(max_length=40)
    payload: Any = models.JSONField(default=dict)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["id"], condition=Q(sent_at__isnull=True), name="outbox_unsent")
        ]
