"""A group of similar open cases answered together, and the office's hot-spot alerts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseGroup(models.Model):
    """Similar cases linked from one of them (`origin`) so that one reply, drafted once, is
    sent to each; every case keeps its own clocks and audit trail."""

    origin = models.ForeignKey(
        "cases.Case", verbose_name=_("linked from"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    # The last reply sent to the group, kept to be sent again to cases linked later.
    reply_text = models.TextField(_("group reply"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group of similar cases")
        verbose_name_plural = _("groups of similar cases")

    def __str__(self) -> str:
        return f"#{self.pk}"


class CaseGroupMember(models.Model):
    """A case in a group; a case is in one group at most (the unique index behind the case
    page's "in group" line)."""

    group = models.ForeignKey(CaseGroup, on_delete=models.CASCADE, related_name="members")
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="+")
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    linked_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["group", "case"], name="group_member")]


class HotspotDimension(models.TextChoices):
    MATTER = "matter", _("service matter")
    DEPARTMENT = "department", _("department")
    CAUSE = "cause", _("cause")


class HotspotAlert(models.Model):
    """A concentration found by the daily job: at least the policy's threshold of cases of one
    matter, department or cause received within one period. Raised once per concentration
    and period (the unique constraint), with the cases behind it as they stood then."""

    dimension = models.CharField(_("by"), max_length=16, choices=HotspotDimension.choices)
    # The matter's or unit's id, or the cause's code.
    subject_key = models.CharField(max_length=40)
    subject = models.CharField(_("about"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    threshold = models.PositiveIntegerField(_("threshold"))
    count = models.PositiveIntegerField(_("cases"))
    raised_at = models.DateTimeField(_("raised at"))
    cases = models.ManyToManyField("cases.Case", related_name="+")

    class Meta:
        verbose_name = _("hot-spot alert")
        verbose_name_plural = _("hot-spot alerts")
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "subject_key", "period_start"], name="hotspot_once"
            )
        ]
        indexes = [models.Index(fields=["-raised_at", "-id"], name="hotspot_raised")]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.subject} ({self.period_start})"
