import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from banchengshi.encryption.fields import EncryptedCharField


def now() -> dt.datetime:
    # Looked up at each call (not `default=timezone.now`, bound once), so that a frozen clock
    # in tests and the instant of the change agree.
    return timezone.now()


class OutboxMessage(models.Model):
    """A message to leave after the change that caused it has committed (R-Q-4). The sender
    (notify.sending) claims it, sends it outside any transaction and records the result; a
    failure is tried again later (`next_attempt_at`), up to a limit, then given up."""

    class Channel(models.TextChoices):
        SMS = "sms", _("SMS")
        EMAIL = "email", _("e-mail")
        WEBHOOK = "webhook", _("webhook")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        GIVEN_UP = "given_up", _("given up")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = EncryptedCharField(_("recipient"), max_length=254)  # phones and addresses
    template = models.CharField(_("template"), max_length=40)
    payload: Any = models.JSONField(default=dict)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    # While pending: not to be tried before this instant (a retry's backoff, or the end of a
    # claim: a sender that died holding one lets it go when it runs out).
    next_attempt_at = models.DateTimeField(_("next attempt"), default=now)
    # A sender's claim: only the holder of `claim` records the result, until `claimed_until`.
    claimed_until = models.DateTimeField(_("claimed until"), null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        indexes = [
            # The sender's only question ("what is due?") reads this index alone.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status="pending"),
                name="outbox_due",
            ),
            # The administrators' list of what was given up.
            models.Index(fields=["-id"], condition=Q(status="given_up"), name="outbox_given_up"),
        ]

    def __str__(self) -> str:
        return f"{self.channel}/{self.template} #{self.pk}"


class ShortLink(models.Model):
    """A short code in an SMS standing for a longer address (gateways take short parameters
    under a registered template, not 66-character signed tokens). What it stands for is
    resolved by the app that owns the target (web), so notify needs to know no other app."""

    class Purpose(models.TextChoices):
        RATE = "rate", _("rate an answer")

    code = models.CharField(max_length=16, unique=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices)
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="+")
    round = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.code


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
    RECTIFICATION_OPENED = "rectification.opened", _("rectification opened")
    RECTIFICATION_DUE_SOON = "rectification.due_soon", _("rectification deadline approaching")
    RECTIFICATION_OVERDUE = "rectification.overdue", _("rectification overdue")
    RECTIFICATION_SENT_BACK = "rectification.sent_back", _("rectification sent back")
    HOTSPOT_RAISED = "hotspot.raised", _("hot spot of similar cases")
    ASSISTANCE_DUE_SOON = "assistance.due_soon", _("door-to-door request due soon")
    ASSISTANCE_OVERDUE = "assistance.overdue", _("door-to-door request overdue")
    BAD_REVIEW_OPENED = "bad_review.opened", _("bad review to handle")
    BAD_REVIEW_DUE_SOON = "bad_review.due_soon", _("bad review's deadline approaching")
    BAD_REVIEW_OVERDUE = "bad_review.overdue", _("bad review overdue")
    REPORT_READY = "report.ready", _("periodic report ready")


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


class ReminderSent(models.Model):
    """A reminder level sent for one deadline of a clock (R-SLA-6): the unique key makes each
    level go out once per clock and deadline, however often the sweep runs; a new deadline
    (an extension, a resumption) is another key, so every level is sent again for it."""

    clock = models.ForeignKey("cases.Clock", on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=16)
    due = models.DateTimeField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["clock", "level", "due"], name="reminder_sent_once")
        ]


class DigestSent(models.Model):
    """The day's overdue digest went out: a second run of the job for that day sends none."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField()
    overdue = models.PositiveIntegerField()
    recipients = models.PositiveSmallIntegerField()
