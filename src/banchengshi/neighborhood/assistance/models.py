"""Door-to-door assistance (R-NB-3, seed 003 上门服务): the service list of eligible matters
(the district's, plus what each street adds) and the requests that go discovery → review →
assistance → evaluation → the application's approval followed until it is decided. Rows are
changed only through neighborhood.assistance.actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.cases.models import Satisfaction
from banchengshi.cases.special_groups import SpecialGroupFields
from banchengshi.encryption.fields import EncryptedCharField


class Difficulty(models.TextChoices):
    EASY = "easy", pgettext_lazy("difficulty", "easy")
    MEDIUM = "medium", pgettext_lazy("difficulty", "medium")
    HARD = "hard", pgettext_lazy("difficulty", "hard")


class ServiceItem(models.Model):
    """A matter eligible for door-to-door help: on the district's list (no street) or added
    by one street (its acceptance center)."""

    matter = models.ForeignKey(
        "catalog.Matter", verbose_name=_("service matter"), on_delete=models.PROTECT
    )
    street = models.ForeignKey(
        "org.Unit",
        verbose_name=_("street"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: on the district's list for every street."),
    )
    difficulty = models.CharField(_("difficulty"), max_length=8, choices=Difficulty.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("door-to-door service")
        verbose_name_plural = _("door-to-door services")
        constraints = [
            models.UniqueConstraint(
                fields=["matter"], condition=Q(street=None), name="service_item_district"
            ),
            models.UniqueConstraint(
                fields=["street", "matter"],
                condition=Q(street__isnull=False),
                name="service_item_street",
            ),
        ]
        indexes = [models.Index(fields=["street", "is_active"], name="service_item_street_on")]

    def __str__(self) -> str:
        return self.matter.name


class RequestChannel(models.TextChoices):
    STAFF = "staff", _("found by staff")
    HOTLINE = "hotline", _("hotline")
    NEIGHBORHOOD = "neighborhood", _("residents' committee")
    SELF = "self", _("the person asked")


class Stage(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("assistance", "discovered, awaiting review")
    INELIGIBLE = "ineligible", pgettext_lazy("assistance", "not eligible")
    ELIGIBLE = "eligible", pgettext_lazy("assistance", "eligible, awaiting appointment")
    SCHEDULED = "scheduled", pgettext_lazy("assistance", "visit scheduled")
    VISITED = "visited", pgettext_lazy("assistance", "visited, awaiting evaluation")
    EVALUATED = "evaluated", pgettext_lazy("assistance", "evaluated, approval followed")
    DONE = "done", pgettext_lazy("assistance", "approval decided")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("approval", "pending")
    APPROVED = "approved", pgettext_lazy("approval", "approved")
    REFUSED = "refused", pgettext_lazy("approval", "refused")


class AssistanceClock(models.TextChoices):
    """The one deadline a request runs at a time (policy.toml)."""

    REVIEW = "review", pgettext_lazy("assistance clock", "review")
    VISIT = "visit", pgettext_lazy("assistance clock", "visit")
    APPROVAL = "approval", pgettext_lazy("assistance clock", "approval follow-up")


class AssistanceRequest(SpecialGroupFields):
    street = models.ForeignKey(
        "org.Unit", verbose_name=_("street"), on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=16, choices=RequestChannel.choices)
    person_name = models.CharField(_("name"), max_length=100)
    phone = EncryptedCharField(_("phone"), max_length=24)
    address = models.CharField(_("address"), max_length=200)
    service = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    need = models.TextField(_("what the person needs"), blank=True)
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    review_note = models.TextField(_("review explanation"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    appointment_at = models.DateTimeField(_("appointment"), null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff assigned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    materials = models.JSONField(_("materials checklist"), default=list)
    visited_at = models.DateTimeField(_("visited at"), null=True, blank=True)
    visit_note = models.TextField(_("visit record"), blank=True)
    materials_collected = models.JSONField(_("materials collected"), default=list)
    satisfaction = models.PositiveSmallIntegerField(
        _("evaluation"), choices=Satisfaction.choices, null=True, blank=True
    )
    approval_status = models.CharField(
        _("approval"), max_length=10, choices=ApprovalStatus.choices, blank=True
    )
    approval_decided_on = models.DateField(_("approval decided on"), null=True, blank=True)
    approval_note = models.TextField(_("approval note"), blank=True)
    # The deadline running now (none once the request is ineligible or decided) and its next
    # reminder, as a case clock's (cases.clocks): the sweep reads remind_at.
    clock = models.CharField(max_length=10, choices=AssistanceClock.choices, blank=True)
    due = models.DateTimeField(_("due"), null=True, blank=True)
    provisional = models.BooleanField(default=False)
    remind_at = models.DateTimeField(null=True, blank=True)
    remind_level = models.CharField(max_length=16, blank=True)

    class Meta:
        verbose_name = _("door-to-door request")
        verbose_name_plural = _("door-to-door requests")
        indexes = [
            models.Index(fields=["street", "-id"], name="assistance_street"),
            models.Index(fields=["stage", "-id"], name="assistance_stage"),
            # The reports' requests of a period.
            models.Index(fields=["registered_at"], name="assistance_registered"),
            models.Index(
                fields=["remind_at"],
                condition=Q(remind_at__isnull=False),
                name="assistance_remind_at",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pk}"


class AssistanceAction(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("assistance", "discovered")
    REVIEWED = "reviewed", pgettext_lazy("assistance", "reviewed")
    SCHEDULED = "scheduled", pgettext_lazy("assistance", "visit scheduled")
    VISITED = "visited", pgettext_lazy("assistance", "visited")
    EVALUATED = "evaluated", pgettext_lazy("assistance", "evaluated")
    APPROVAL = "approval", pgettext_lazy("assistance", "approval decided")


class AssistanceEvent(models.Model):
    """The request's history; each also goes on the audit chain."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=AssistanceAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["request", "id"], name="assistance_event_request")]


class AssistanceReminder(models.Model):
    """A reminder level sent for one deadline of a request: never twice."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="+")
    clock = models.CharField(max_length=10, choices=AssistanceClock.choices)
    level = models.CharField(max_length=16)
    due = models.DateTimeField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["request", "clock", "level", "due"], name="assistance_reminder_once"
            )
        ]
