"""Evaluation records (好差评, R-NB-4): a rating of any service from any channel, the SMS
invitations and tablet screens that collect them, the handling of every 差评 under a clock
(国办发〔2019〕51号), a unit's appeal of a rating, and the history of each.

The five levels are the cases app's `Satisfaction` (one enum for one concept): a case's reply
rated by its petitioner and a window transaction rated on a tablet are judged on one scale."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.cases.models import Satisfaction
from banchengshi.encryption.fields import EncryptedCharField

# Levels that are a 差评: each opens a handling task (evaluation.policy names its limit).
BAD_LEVELS = frozenset({Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED})
MAX_COMMENT = 500


class SubjectKind(models.TextChoices):
    WINDOW_TRANSACTION = "window", _("window transaction")
    REMOTE_SESSION = "remote_session", _("remote window session")
    DOOR_TO_DOOR = "door_to_door", _("door-to-door visit")
    CASE_REPLY = "case_reply", _("reply to an appeal")
    OTHER = "other", _("other service")


class EvaluationChannel(models.TextChoices):
    WINDOW_TABLET = "window_tablet", _("tablet at the window")
    SMS_LINK = "sms_link", _("link in an SMS")
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper form entered by staff")
    REVIEW_PLATFORM = "review_platform", _("good/bad-review platform")


class Evaluation(models.Model):
    level = models.PositiveSmallIntegerField(_("rating"), choices=Satisfaction.choices)
    subject_kind = models.CharField(_("what was rated"), max_length=16, choices=SubjectKind.choices)
    # The rated record's own number (a tablet screen, a session, a visit) or an outside
    # system's reference (the review platform's 办件编号); blank when there is none.
    subject_id = models.CharField(_("reference"), max_length=64, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    matter = models.ForeignKey(
        "catalog.Matter",
        verbose_name=_("matter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=EvaluationChannel.choices)
    evaluated_at = models.DateTimeField(_("rated at"))
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField(_("comment"), blank=True)
    # Where the answer to a 差评 is texted: the invitation's, the case's or the record's mobile.
    mobile = EncryptedCharField(_("mobile phone"), max_length=11, blank=True)
    # Who typed it in (a paper form, the API's account); None when the person rated.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An outside record (the review platform): its source and id, unique, so a record sent
    # twice is kept once.
    external_source = models.CharField(max_length=32, blank=True)
    external_id = models.CharField(max_length=64, blank=True)
    # An appeal upheld by the office: kept, but out of the unit's figures.
    excluded = models.BooleanField(_("excluded from the figures"), default=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [
            models.Index(fields=["unit", "-evaluated_at", "-id"], name="evaluation_unit"),
            models.Index(fields=["-evaluated_at", "-id"], name="evaluation_time"),
            models.Index(fields=["case"], name="evaluation_case", condition=Q(case__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_source=""),
                name="evaluation_external_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pk}"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class HandlingStatus(models.TextChoices):
    """A 差评's handling: verified (genuine or not), the person answered, the cause rectified
    (a genuine one only), closed. Overdue is no status: open past its deadline."""

    TO_VERIFY = "to_verify", _("to verify")
    TO_ANSWER = "to_answer", _("to answer")
    TO_RECTIFY = "to_rectify", _("to rectify")
    TO_CLOSE = "to_close", _("to close")
    CLOSED = "closed", pgettext_lazy("bad review", "closed")


OPEN_HANDLING = (
    HandlingStatus.TO_VERIFY,
    HandlingStatus.TO_ANSWER,
    HandlingStatus.TO_RECTIFY,
    HandlingStatus.TO_CLOSE,
)


class BadReview(models.Model):
    """The handling task of one 差评, opened with it, with its clock."""

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="handling")
    # The evaluation's unit, copied so that a unit's queue is one index range.
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=HandlingStatus.choices, default=HandlingStatus.TO_VERIFY
    )
    opened_at = models.DateTimeField(_("opened"))
    due = models.DateTimeField(_("deadline"))
    provisional = models.BooleanField(default=False)
    remind_at = models.DateTimeField(null=True, blank=True)
    remind_level = models.CharField(max_length=16, blank=True)
    genuine = models.BooleanField(_("genuine"), null=True, blank=True)
    verification = models.TextField(_("verification"), blank=True)
    answer = models.TextField(_("answer to the person"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    rectification = models.TextField(_("rectification"), blank=True)
    # A rectification item of the learning loop (knowledge), by number: evaluation does not
    # depend on knowledge.
    rectification_item_id = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["unit", "status", "due", "id"], name="bad_review_unit"),
            models.Index(fields=["status", "due", "id"], name="bad_review_status"),
            models.Index(
                fields=["remind_at"], name="bad_review_remind", condition=Q(remind_at__isnull=False)
            ),
        ]


class BadReviewReminder(models.Model):
    """A reminder level sent for one deadline of a 差评's handling: once each."""

    task = models.ForeignKey(BadReview, on_delete=models.CASCADE, related_name="reminders")
    level = models.CharField(max_length=16)
    due = models.DateTimeField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["task", "level", "due"], name="bad_review_reminder_once"
            )
        ]


class AppealReason(models.TextChoices):
    MISTAKEN = "mistaken", _("mistaken rating")
    MALICIOUS = "malicious", _("malicious rating")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("awaiting the office's decision")
    UPHELD = "upheld", _("upheld")
    REJECTED = "rejected", _("rejected")


class EvaluationAppeal(models.Model):
    """A unit's appeal of a rating as mistaken or malicious; the office decides. Upheld, the
    rating leaves the unit's figures (Evaluation.excluded)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="appeals")
    reason = models.CharField(_("reason"), max_length=12, choices=AppealReason.choices)
    explanation = models.TextField(_("explanation"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField()
    status = models.CharField(
        _("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "filed_at", "id"], name="evaluation_appeals")]
        constraints = [
            # One appeal per rating: decided once, by the office.
            models.UniqueConstraint(fields=["evaluation"], name="evaluation_appeal_once")
        ]


class EvaluationAction(models.TextChoices):
    RECORDED = "recorded", _("recorded")
    VERIFIED = "verified", _("verified")
    ANSWERED = "answered", _("answered")
    RECTIFIED = "rectified", _("rectified")
    CLOSED = "closed", pgettext_lazy("bad review", "closed")
    APPEALED = "appealed", _("appealed")
    APPEAL_UPHELD = "appeal_upheld", _("appeal upheld")
    APPEAL_REJECTED = "appeal_rejected", _("appeal rejected")


class EvaluationEvent(models.Model):
    """One change of an evaluation, shown on its page; the audit chain has the same."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=16, choices=EvaluationAction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()
    note = models.TextField(blank=True)


class EvaluationInvite(models.Model):
    """An invitation to rate one service, sent by SMS (after a remote session or a visit):
    `/e/<token>/` takes one rating until `expires_at`."""

    subject_kind = models.CharField(max_length=16, choices=SubjectKind.choices)
    subject_id = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    matter = models.ForeignKey(
        "catalog.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    mobile = EncryptedCharField(max_length=11)
    token = models.CharField(max_length=16, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    evaluation = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="invite"
    )


class TabletPush(models.Model):
    """A window transaction pushed from the clerk's screen to the window's tablet (`/rate/`):
    one rating, only in the clerk's own session, until `expires_at`."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    matter = models.ForeignKey(
        "catalog.Matter", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    evaluation = models.OneToOneField(
        Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="push"
    )

    class Meta:
        indexes = [models.Index(fields=["opened_by", "-opened_at"], name="tablet_push_clerk")]
