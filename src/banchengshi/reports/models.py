"""Report files kept for the office (R-REP-1): built by the scheduler on the first working day
after a period ends, or on demand; listed and downloaded on the workbench."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StoredReport(models.Model):
    kind = models.CharField(_("report"), max_length=12)
    period = models.CharField(_("period"), max_length=24)
    unit = models.ForeignKey(
        "org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    units_below = models.BooleanField(default=True)
    format = models.CharField(_("format"), max_length=8)
    file = models.FileField(upload_to="reports/%Y/")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    built_at = models.DateTimeField(_("built at"))
    # None: built by the scheduler.
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        # One file per report, scope and format; the district's (no unit) apart, as NULLs
        # never clash in a unique index (SQLite has no NULLS NOT DISTINCT).
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "unit", "units_below", "format"],
                condition=models.Q(unit__isnull=False),
                name="stored_report_unique",
            ),
            models.UniqueConstraint(
                fields=["kind", "period", "format"],
                condition=models.Q(unit__isnull=True),
                name="stored_report_district_unique",
            ),
        ]
        indexes = [models.Index(fields=["-built_at", "-id"], name="stored_report_newest")]


class Interview(models.Model):
    """约谈: the office's interview of a unit on the accountability list, and the rectification
    it ordered, if any (R-REP-2)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("period"), max_length=24)
    # Why the unit was listed, as the list said it when the interview was recorded.
    reasons = models.TextField(_("reasons"))
    held_on = models.DateField(_("held on"))
    attendees = models.CharField(_("attendees"), max_length=200)
    notes = models.TextField(_("notes"))
    rectification = models.ForeignKey(
        "knowledge.RectificationItem",
        verbose_name=_("rectification ordered"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["period", "unit"], name="interview_period_unit")]


class IntakeDay(models.Model):
    """The cases received on one past local day in one reader's scope (reports.intake): the
    dashboard's weeks and months read these instead of grouping a year of cases on every
    refresh. A past day's count changes only when a case is registered with an earlier
    received_at, or an earlier case is linked to another unit (a scope's count): those
    writers delete the rows from that day on in their own transaction (cases.signals)."""

    # "district", or "units-" and a digest of the sorted unit ids a reader sees.
    scope = models.CharField(max_length=48)
    day = models.DateField()
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "day"], name="intake_day_unique"),
        ]
        # The invalidation deletes by day, whatever the scope.
        indexes = [models.Index(fields=["day"], name="intake_day_by_day")]


class IntakeVersion(models.Model):
    """One row, bumped by every invalidation of IntakeDay: a reader keeps the days it counted
    only if no invalidation came between its count and its insert (reports.intake)."""

    n = models.PositiveBigIntegerField(default=0)


class LeagueSnapshot(models.Model):
    """Last month's league table as computed at `computed_at` (reports.league): refreshed by
    the scheduler, so that the dashboard does not group a month of cases on every refresh."""

    period = models.CharField(max_length=24, unique=True)
    computed_at = models.DateTimeField()
    # The metrics.UnitRow fields of each unit, in the league's order.
    rows = models.JSONField()
