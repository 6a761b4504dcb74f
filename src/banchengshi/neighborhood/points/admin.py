"""Service points for the system administrators: a point's fields and its devices; each
change saved here is written to the point's history, as the workbench's actions do. The
history, inspections and faults are read only (the workbench records them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from banchengshi.neighborhood.points.actions import record
from banchengshi.neighborhood.points.models import (
    Equipment,
    Fault,
    Inspection,
    PointAction,
    PointEvent,
    ServicePoint,
)


class EquipmentInline(admin.TabularInline):
    model = Equipment
    fields = ("kind", "serial_number", "added_at", "removed_at")
    extra = 0


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("unit", "kind", "center", "status", "address", "updated_at")
    list_filter = ("status", "kind")
    list_select_related = ("unit", "center")
    search_fields = ("unit__name", "address")
    raw_id_fields = ("unit", "center")
    filter_horizontal = ("matters",)
    readonly_fields = ("updated_at",)
    inlines = (EquipmentInline,)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: ServicePoint, form: Any, change: bool) -> None:
        now = timezone.now()
        obj.updated_at = now
        super().save_model(request, obj, form, change)
        action = PointAction.CHANGED if change else PointAction.CREATED
        fields = ", ".join(str(form.fields[name].label) for name in form.changed_data)
        record(obj, action, actor=request.user, at=now, note=fields)  # type: ignore[arg-type]


@admin.register(PointEvent)
class PointEventAdmin(ReadOnly):
    list_display = ("point", "action", "status", "effective_on", "note", "actor", "at")
    list_filter = ("action",)
    list_select_related = ("point__unit", "actor")
    ordering = ("-id",)


@admin.register(Inspection)
class InspectionAdmin(ReadOnly):
    list_display = ("point", "inspected_on", "inspector", "note")
    list_select_related = ("point__unit", "inspector")
    ordering = ("-inspected_on", "-id")


@admin.register(Fault)
class FaultAdmin(ReadOnly):
    list_display = ("point", "equipment", "found_on", "repaired_on")
    list_filter = (("repaired_on", admin.EmptyFieldListFilter),)
    list_select_related = ("point__unit", "equipment")
    ordering = ("-found_on", "-id")
