"""The door-to-door pages' forms (R-NB-3): a new request, each step of a request, the service
list. They convert types only; the rules are neighborhood.assistance's."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import MAX_TEXT, Satisfaction
from banchengshi.neighborhood.assistance.actions import NewRequest
from banchengshi.neighborhood.assistance.models import (
    ApprovalStatus,
    Difficulty,
    RequestChannel,
    ServiceItem,
)
from banchengshi.org.models import Unit
from banchengshi.policy.deadlines import SHANGHAI
from banchengshi.web.forms.fields import NumberField, TextField
from banchengshi.web.forms.special_groups import special_group_fields, special_input

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
Choices = list[tuple[Any, Any]]


def _text(label: Any, *, rows: int = 0, help_text: Any = "", limit: int = MAX_TEXT) -> TextField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput()
    return TextField(
        label=label, required=False, max_length=limit, help_text=help_text, widget=widget
    )


def _select(label: Any, choices: Choices) -> TextField:
    # The action, not the form, says a value is unknown.
    return TextField(label=label, required=False, widget=forms.Select(choices=choices))


class RequestForm(forms.Form):
    street_id = NumberField(label=_("Street"), required=False, widget=forms.Select())
    channel = _select(_("How it came"), RequestChannel.choices)
    person_name = _text(_("Name"), limit=100)
    phone = _text(_("Phone"), limit=40)
    address = _text(_("Address to visit"), limit=200)
    service_id = NumberField(label=_("Service"), required=False, widget=forms.Select())
    need = _text(_("What the person needs"), rows=3)

    def __init__(
        self,
        data: Any = None,
        *,
        streets: list[Unit],
        services: list[ServiceItem],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        self.fields.update(special_group_fields())
        self.fields["street_id"].widget.choices = [(unit.pk, unit.name) for unit in streets]
        self.fields["service_id"].widget.choices = [("", "—")] + [
            (item.pk, f"{item.matter.name}（{item.get_difficulty_display()}）") for item in services
        ]

    def request(self) -> NewRequest:
        data = self.cleaned_data
        return NewRequest(
            street_id=data.get("street_id"),
            channel=data.get("channel") or "",
            person_name=data.get("person_name") or "",
            phone=data.get("phone") or "",
            address=data.get("address") or "",
            service_id=data.get("service_id"),
            need=data.get("need") or "",
            groups=special_input(self),
        )


class ReviewForm(forms.Form):
    eligible = TextField(
        label=_("Result"),
        required=False,
        widget=forms.RadioSelect(choices=[("yes", _("Eligible")), ("no", _("Not eligible"))]),
    )
    note = _text(_("Explanation"), rows=3, help_text=_("Texted to the person with the result."))


class ScheduleForm(forms.Form):
    appointment = forms.DateTimeField(
        label=_("Appointment"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    staff_id = NumberField(
        label=_("Staff member who visits"), required=False, widget=forms.Select()
    )
    materials = _text(_("Materials to prepare, one a line"), rows=4)

    def __init__(self, data: Any = None, *, staff: Choices, initial: Any = None) -> None:
        super().__init__(data, initial=initial)
        self.fields["staff_id"].widget.choices = [("", "—"), *staff]

    def appointment_value(self) -> dt.datetime | None:
        value: dt.datetime | None = self.cleaned_data.get("appointment")
        # The form's time is the office's, whatever the server's zone.
        return value.replace(tzinfo=SHANGHAI) if value is not None else None


class VisitForm(forms.Form):
    note = _text(_("Visit record"), rows=3)

    def __init__(self, data: Any = None, *, materials: list[str]) -> None:
        super().__init__(data)
        self.fields["collected"] = forms.MultipleChoiceField(
            label=_("Materials collected"),
            required=False,
            choices=[(item, item) for item in materials],
            widget=forms.CheckboxSelectMultiple(),
        )


class EvaluationForm(forms.Form):
    satisfaction = NumberField(
        label=_("The person's evaluation"),
        required=False,
        max_value=5,
        widget=forms.RadioSelect(choices=Satisfaction.choices),
    )


class ApprovalForm(forms.Form):
    status = _select(
        _("Decision"),
        [
            (ApprovalStatus.APPROVED, ApprovalStatus.APPROVED.label),
            (ApprovalStatus.REFUSED, ApprovalStatus.REFUSED.label),
        ],
    )
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = _text(_("Note"), rows=2)


class ServiceAddForm(forms.Form):
    street_id = NumberField(label=_("List"), required=False, widget=forms.Select())
    matter_id = NumberField(label=_("Service matter"), required=False, widget=forms.Select())
    difficulty = _select(_("Difficulty"), Difficulty.choices)
    note = _text(_("Note"), limit=200)

    def __init__(self, data: Any = None, *, lists: Choices, matters: Choices) -> None:
        super().__init__(data)
        self.fields["street_id"].widget.choices = lists
        self.fields["matter_id"].widget.choices = [("", "—"), *matters]


class ServiceChangeForm(forms.Form):
    difficulty = _select(_("Difficulty"), Difficulty.choices)
    active = forms.BooleanField(label=_("On the list"), required=False)
    note = _text(_("Note"), limit=200)
