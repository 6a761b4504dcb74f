from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from banchengshi.workdays.schedule import YearSchedule


class CalendarYear(models.Model):
    """A year's schedule entered by an administrator; it takes precedence over the built-in one."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    schedule: Any = models.JSONField(_("schedule"))
    source_name = models.CharField(_("source file"), max_length=200)
    content = models.TextField(_("file content"))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = _("statutory calendar year")
        verbose_name_plural = _("statutory calendar years")

    def __str__(self) -> str:
        return str(self.year)

    def as_schedule(self) -> YearSchedule:
        who = f" by {self.loaded_by}" if self.loaded_by_id else ""
        loaded = self.loaded_at.isoformat(timespec="seconds") if self.loaded_at else "?"
        return YearSchedule.from_data(
            self.schedule, source=f"loaded from {self.source_name}{who} at {loaded}"
        )
