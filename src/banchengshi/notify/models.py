from typing import Any

from django.conf import settings
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


class NotificationKind(models.TextChoices):
    """What a staff notification is about: the API's `kind`, and what a person's delivery
    preferences are chosen by."""

    REMINDER_BEFORE_YELLOW = "reminder.before_yellow", _("deadline approaching")
    REMINDER_YELLOW = "reminder.yellow", _("deadline turned yellow")
    REMINDER_RED = "reminder.red", _("deadline overdue")
    OVERDUE_DIGEST = "reminder.digest", _("daily digest of overdue cases")
    CASE_DISPATCHED = "case.dispatched", _("case dispatched to your unit")
    COHANDLING_REQUESTED = "cohandling.requested", _("co-handling requested")
    SUPERVISION_OPENED = "supervision.opened", _("supervision opened")
    EXTENSION_GRANTED = "extension.granted", _("extension granted")
    DEADLINE_MOVED = "deadline.moved", _("deadline recomputed")
    CALENDAR_MISSING_YEAR = "calendar.missing_year", _("next year's holiday schedule missing")
    WEBHOOK_DISABLED = "webhook.disabled", _("webhook endpoint disabled")
    MESSAGE_GIVEN_UP = "outbox.given_up", _("message could not be sent")


class Notification(models.Model):
    """A notice in one staff member's inbox. Its words are composed when shown, in the
    reader's language, from `kind` and `params`."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    params: Any = models.JSONField(default=dict)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-id"], name="notification_inbox"),
            # (user, -id): the unread count and the unread list newest first, one index.
            models.Index(
                fields=["user", "-id"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
        ]


class NotificationPreference(models.Model):
    """What a person chose for one kind of notice, besides the inbox (which always gets it).
    A kind without a row follows the defaults (notify/preferences.toml)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=40, choices=NotificationKind.choices)
    sms = models.BooleanField(default=False)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")
        ]
