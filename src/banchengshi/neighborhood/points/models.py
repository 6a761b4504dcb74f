"""A service point is a unit of kind `service_point` (org), placed under its street's or
town's acceptance center, so that who sees it follows from the units a person belongs to
(org.scope) like everything else; these rows keep what a unit does not: where the point is,
what it is and has, which center its remote window connects to, what happened to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    # Open, with details (hours, address, matters) that changed and are being announced.
    CHANGED = "changed", _("changed")
    CLOSED = "closed", pgettext_lazy("service point", "closed")


# A point the public is shown and can go to: open, or open with changed details.
IN_SERVICE = (PointStatus.OPEN, PointStatus.CHANGED)


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
    matters = models.ManyToManyField(
        "catalog.Matter",
        verbose_name=_("matters served remotely"),
        blank=True,
        related_name="service_points",
    )
    # Set by every action that changes what the public sees: the GeoJSON's validator.
    updated_at = models.DateTimeField(_("updated"), null=True, blank=True)

    class Meta:
        verbose_name = _("service point")
        verbose_name_plural = _("service points")
        indexes = [models.Index(fields=["status", "center"], name="point_status_center")]

    def __str__(self) -> str:
        return self.unit.name


class EquipmentKind(models.TextChoices):
    DUAL_SCREEN = "dual_screen", _("dual-screen all-in-one")
    PRINTER = "printer", _("printer")
    ID_READER = "id_reader", _("ID card reader")
    CAMERA = "camera", _("camera")
    SCANNER = "scanner", _("scanner")
    OTHER = "other", _("other device")


class Equipment(models.Model):
    """A device at a point; a removed one keeps its row (and its inspections and faults)."""

    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="equipment",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EquipmentKind.choices)
    serial_number = models.CharField(_("serial number"), max_length=64)
    added_at = models.DateTimeField(_("added"))
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("equipment")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "serial_number"],
                condition=Q(removed_at__isnull=True),
                name="equipment_serial_in_use",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.serial_number}"


class PointAction(models.TextChoices):
    CREATED = "created", _("created")
    CHANGED = "changed", _("details changed")
    STATUS = "status", _("status changed")
    EQUIPMENT_ADDED = "equipment_added", _("device added")
    EQUIPMENT_REMOVED = "equipment_removed", _("device removed")
    INSPECTED = "inspected", _("inspected")
    REPAIRED = "repaired", _("repaired")


class PointEvent(models.Model):
    """The point's history, one row per action: who, when, what. A status change carries the
    new status, the day it takes effect (Shanghai) and the reason."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=PointAction.choices)
    status = models.CharField(max_length=16, choices=PointStatus.choices, blank=True)
    effective_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["point", "-id"], name="point_event_point")]


class Inspection(models.Model):
    point = models.ForeignKey(
        ServicePoint,
        verbose_name=_("service point"),
        on_delete=models.CASCADE,
        related_name="inspections",
    )
    inspected_on = models.DateField(_("inspected on"))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("inspector"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.TextField(_("note"), blank=True)
    photo = models.FileField(_("photo"), upload_to="points/inspections/%Y/%m/", blank=True)
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        indexes = [
            models.Index(fields=["point", "-inspected_on", "-id"], name="inspection_point_day")
        ]


class DeviceCheck(models.Model):
    """One device's state found by an inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="checks")
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="checks")
    working = models.BooleanField(_("working"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["inspection", "equipment"], name="device_check_once")
        ]


class Fault(models.Model):
    """A device found not working: open until a repair is recorded. A device has at most one
    open fault; later inspections that find it still broken follow that one up."""

    point = models.ForeignKey(ServicePoint, on_delete=models.CASCADE, related_name="faults")
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="faults")
    found_by = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="faults")
    found_on = models.DateField(_("found on"))
    description = models.TextField(_("fault"), blank=True)
    repaired_on = models.DateField(_("repaired on"), null=True, blank=True)
    repair_note = models.TextField(_("repair"), blank=True)
    repaired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fault")
        verbose_name_plural = _("faults")
        indexes = [
            models.Index(
                fields=["point"], condition=Q(repaired_on__isnull=True), name="fault_open_point"
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["equipment"],
                condition=Q(repaired_on__isnull=True),
                name="fault_open_once",
            )
        ]
