"""The service points' forms (R-NB-1): they map fields to the arguments of
neighborhood.points' actions; the rules stay there."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.catalog.models import Matter
from banchengshi.neighborhood.points.models import (
    Equipment,
    EquipmentKind,
    PointKind,
    PointStatus,
    ServicePoint,
)
from banchengshi.org.models import Unit, UnitKind
from banchengshi.web.forms.fields import TextField

DATE = forms.DateInput(attrs={"type": "date"})


class PointForm(forms.Form):
    name = TextField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=PointKind.choices)
    address = TextField(label=_("Address"), max_length=200)
    latitude = TextField(
        label=_("Latitude"),
        required=False,
        max_length=20,
        help_text=_("WGS-84 or CGCS2000 degrees, e.g. 31.245100; leave both empty if unknown."),
    )
    longitude = TextField(label=_("Longitude"), required=False, max_length=20)
    opening_hours = TextField(label=_("Opening hours"), required=False, max_length=200)
    matters = forms.ModelMultipleChoiceField(
        label=_("Matters served remotely"),
        queryset=Matter.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, point: ServicePoint | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Matters flagged for the remote window, and those the point's center handles (its
        # staff handle them by video); a new point gets the latter once it is saved.
        offered = Matter.objects.filter(is_active=True, remote=True)
        if point is not None:
            offered = (
                offered
                | Matter.objects.filter(is_active=True, handling_centers=point.center_id)
                | Matter.objects.filter(service_points=point)
            )
        self.fields["matters"].queryset = offered.distinct().order_by("code")  # type: ignore[attr-defined]

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "kind": data["kind"],
            "address": data["address"],
            "latitude": data["latitude"] or None,
            "longitude": data["longitude"] or None,
            "opening_hours": data["opening_hours"],
            "matter_ids": [m.pk for m in data["matters"]],
        }


class NewPointForm(PointForm):
    center = forms.ModelChoiceField(
        label=_("Acceptance center of the street"),
        queryset=Unit.objects.filter(kind=UnitKind.CENTER, is_active=True).order_by("name"),
    )
    field_order = ["center", "name"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=PointStatus.choices)
    effective_on = forms.DateField(label=_("From"), widget=DATE)
    reason = TextField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class EquipmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Device"), choices=EquipmentKind.choices)
    serial_number = TextField(label=_("Serial number"), max_length=64)


class RemoveEquipmentForm(forms.Form):
    reason = TextField(label=_("Why it is removed"), max_length=500)


WORKING = (("yes", _("working")), ("no", _("not working")))


class InspectionForm(forms.Form):
    inspected_on = forms.DateField(label=_("Inspected on"), widget=DATE)
    note = TextField(
        label=_("Note"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    photo = forms.FileField(
        label=_("Photo"), required=False, help_text=_("A JPEG or PNG image, at most 8 MB.")
    )

    def __init__(self, *args: Any, devices: list[Equipment], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.devices = devices
        for device in devices:
            self.fields[f"device_{device.pk}"] = forms.ChoiceField(
                label=str(device), choices=WORKING, widget=forms.RadioSelect, initial="yes"
            )
            self.fields[f"fault_{device.pk}"] = TextField(
                label=_("What is wrong with %(device)s") % {"device": device},
                required=False,
                max_length=1000,
            )

    def findings(self) -> list[tuple[int, bool, str]]:
        data = self.cleaned_data
        return [
            (d.pk, data[f"device_{d.pk}"] == "yes", data[f"fault_{d.pk}"]) for d in self.devices
        ]


class RepairForm(forms.Form):
    repaired_on = forms.DateField(label=_("Repaired on"), widget=DATE)
    note = TextField(label=_("What was done"), max_length=1000)


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all")), *PointStatus.choices], required=False
    )
