"""The filters of the workbench's lists: the worklist, a unit's cases, the inspector's search.
A field given a wrong value filters nothing and says why; a page that is no number is page 1."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Category, Channel, State
from banchengshi.cases.queues import PER_PAGE as LIST_PER_PAGE
from banchengshi.cases.selectors import COUNT_CAP, WORK_PAGE_DEPTH, WorkFilters
from banchengshi.web.forms.fields import TextField, page_field

WORK_PER_PAGE = 25
ANY = ("", _("All"))
COLOUR_CHOICES = [
    ANY,
    ("red", _("Overdue")),
    ("yellow", _("Due soon")),
    ("green", _("On time")),
    ("none", _("No deadline")),
]


class WorkFilterForm(forms.Form):
    q = TextField(
        label=_("Tracking number, phone, name or words"),
        help_text=_(
            "The last digits of a tracking number, a phone's last four digits, the start of a "
            "name, or words of the matter and of what failed."
        ),
        max_length=100,
        required=False,
    )
    colour = forms.ChoiceField(label=_("Deadline"), choices=COLOUR_CHOICES, required=False)
    state = forms.ChoiceField(label=_("State"), choices=[ANY, *State.choices], required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[ANY, *Category.choices], required=False
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=[ANY, *Channel.choices], required=False)
    unit = forms.TypedChoiceField(label=_("Queue of"), coerce=int, required=False, empty_value=None)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("Received until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    # Pages end where the rows query stops skipping.
    page = page_field(WORK_PAGE_DEPTH // WORK_PER_PAGE)

    def __init__(self, data: Any, units: list[tuple[int, str]]) -> None:
        super().__init__(data, label_suffix="")
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = [ANY, *units]
        if len(units) < 2:  # nothing to choose between
            unit_field.widget = forms.HiddenInput()

    def filters(self) -> WorkFilters:
        """The valid filters; a field given a wrong value filters nothing and says why."""
        self.is_valid()
        data = self.cleaned_data
        return WorkFilters(
            state=data.get("state", ""),
            category=data.get("category", ""),
            colour=data.get("colour", ""),
            unit_id=data.get("unit"),
            channel=data.get("channel", ""),
            received_from=data.get("received_from"),
            received_to=data.get("received_to"),
            text=data.get("q", ""),
        )


class UnitCasesForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[ANY, *State.choices], required=False)
    colour = forms.ChoiceField(label=_("Deadline"), choices=COLOUR_CHOICES, required=False)
    page = page_field(COUNT_CAP // LIST_PER_PAGE)


class CaseSearchForm(forms.Form):
    q = WorkFilterForm.base_fields["q"]
    state = WorkFilterForm.base_fields["state"]
    received_from = WorkFilterForm.base_fields["received_from"]
    received_to = WorkFilterForm.base_fields["received_to"]
    page = page_field(COUNT_CAP // LIST_PER_PAGE)


class PersonalDataViewsForm(forms.Form):
    """The inspector's filters of the log of looks at unmasked personal data."""

    user = TextField(label=_("User name"), required=False, max_length=150)
    subject = TextField(
        label=_("Tracking number or subject"),
        required=False,
        max_length=64,
        help_text=_("As logged, e.g. PT-2026-000123"),
    )
    field = forms.ChoiceField(
        label=_("Field"),
        required=False,
        choices=[
            ("", _("any")),
            ("phone", _("phone")),
            ("id_number", _("ID number")),
            ("credit_code", _("credit code")),
        ],
    )
    since = forms.DateField(
        label=_("From (day)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To (day, included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    page = page_field(COUNT_CAP // LIST_PER_PAGE)
