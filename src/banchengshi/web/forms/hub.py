"""The hub's forms: dispatching chosen cases in bulk, deciding a request from its row."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from banchengshi.cases.selectors import MAX_PER_PAGE
from banchengshi.ids import parse_number
from banchengshi.web.forms.fields import NumberField, TextField


class BulkDispatchForm(forms.Form):
    unit = forms.TypedChoiceField(
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the unit to dispatch to."),
            "invalid_choice": gettext_lazy("Choose a department or service center."),
        },
    )
    case = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": gettext_lazy("Choose the cases to dispatch."),
            "invalid_choice": gettext_lazy("Choose the cases to dispatch."),
        },
    )

    def __init__(self, data: Any, targets: list[tuple[int, str]]) -> None:
        super().__init__(data)
        unit_field = self.fields["unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = targets
        case_field = self.fields["case"]
        assert isinstance(case_field, forms.TypedMultipleChoiceField)
        # Any case id is accepted here; the action says for each case whether it can go.
        case_field.choices = [(v, v) for v in data.getlist("case") if parse_number(v) is not None]

    def clean_case(self) -> list[int]:
        chosen: list[int] = list(dict.fromkeys(self.cleaned_data["case"]))
        if len(chosen) > MAX_PER_PAGE:
            raise forms.ValidationError(
                _("Choose at most %(max)d cases at a time.") % {"max": MAX_PER_PAGE}
            )
        return chosen


class ProposedDispatchForm(forms.Form):
    """One case, to the unit proposed for it at registration."""

    case_id = NumberField(
        error_messages={
            "required": gettext_lazy("Choose the cases to dispatch."),
            "invalid": gettext_lazy("Choose the cases to dispatch."),
            "min_value": gettext_lazy("Choose the cases to dispatch."),
            "max_value": gettext_lazy("Choose the cases to dispatch."),
        }
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("refuse", "refuse")])
    note = TextField(required=False)
    version = NumberField(required=False)
