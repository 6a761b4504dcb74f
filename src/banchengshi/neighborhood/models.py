"""The neighbourhood's rows (R-NB-1…3). A service point is a unit of kind `service_point`
(org), placed under its street's or town's acceptance center, so that who sees it follows
from the units a person belongs to (org.scope) like everything else; this app keeps what a
unit does not: where the point is, what it is, which center its remote window connects to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PointKind(models.TextChoices):
    RESIDENTS_COMMITTEE = "residents_committee", _("residents' committee")
    PARK = "park", _("park")
    BUILDING = "building", _("office building")
    PARTY_MASS_CENTER = "party_mass_center", _("Party-mass service center")
    OTHER = "other", _("other")


class PointStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OPEN = "open", pgettext_lazy("service point", "open")
    CHANGED = "changed", _("changed")
    CLOSED = "closed", pgettext_lazy("service point", "closed")


class ServicePoint(models.Model):
    unit = models.OneToOneField(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="service_point",
        limit_choices_to={"kind": "service_point"},
    )
    kind = models.CharField(_("kind"), max_length=24, choices=PointKind.choices)
    center = models.ForeignKey(
        "org.Unit",
        verbose_name=_("acceptance center"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The center whose staff handle what the point's remote window receives."),
    )
    address = models.CharField(_("address"), max_length=200)
    # CGCS2000 and WGS-84 differ by centimetres: stored as given, published as WGS-84.
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PointStatus.choices, default=PointStatus.PLANNED
    )

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        indexes = [models.Index(fields=["status", "center"], name="point_status_center")]

    def __str__(self) -> str:
        return self.unit.name


# The sessions' models live by area in their package; Django finds models through this module.
from banchengshi.neighborhood.sessions.models import (  # noqa: E402
    CirculationStep,
    Outcome,
    RemoteSession,
    SessionMaterial,
)

__all__ = ["CirculationStep", "Outcome", "RemoteSession", "SessionMaterial"]
