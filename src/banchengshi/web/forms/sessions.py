"""The forms of remote window sessions (R-NB-2): the period of the list, and a session as the
point's staff log it with the materials taken in. They map fields to the action's input; the
rules are in neighborhood.sessions.actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from banchengshi.neighborhood.sessions.actions import MAX_COPIES, MaterialInput, SessionInput
from banchengshi.neighborhood.sessions.models import MAX_MATERIALS, MAX_NOTE, Outcome
from banchengshi.web.forms.fields import NumberField, TextField
from banchengshi.workdays.calendar import SHANGHAI

CHOOSE = ("", _("— choose —"))
# Dates a period may name: beyond them nobody keeps sessions, and a day after 9999-12-31
# does not exist.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PeriodForm(forms.Form):
    start = forms.DateField(label=pgettext_lazy("period", "From"), required=False, widget=DATE)
    end = forms.DateField(label=pgettext_lazy("period", "Until"), required=False, widget=DATE)

    def __init__(self, data: Any) -> None:
        super().__init__(data, label_suffix="")

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        """The valid period; this month so far for what is missing or out of range."""
        self.is_valid()
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        start = start if start is not None and FIRST_DAY <= start <= LAST_DAY else None
        end = end if end is not None and FIRST_DAY <= end <= LAST_DAY else None
        start = start or today.replace(day=1)
        end = end or max(today, start)
        return (start, end) if start <= end else (end, start)


class SessionForm(forms.Form):
    point = forms.TypedChoiceField(label=_("Service point"), coerce=int)
    day = forms.DateField(label=_("Date"), widget=DATE)
    start = forms.TimeField(label=_("Started"), widget=TIME)
    end = forms.TimeField(label=_("Ended"), widget=TIME)
    center_staff = forms.TypedChoiceField(label=_("Handled at the center by"), coerce=int)
    matter = forms.TypedChoiceField(label=_("Service matter"), coerce=int)
    petitioner_name = TextField(label=_("Petitioner's name"), max_length=100)
    phone = TextField(label=_("Phone"), max_length=30)
    id_number = TextField(label=_("ID number"), max_length=30, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[CHOOSE, *Outcome.choices])
    outcome_note = TextField(
        label=_("Note on the outcome"),
        required=False,
        help_text=_("Required when the matter could not be done: say why."),
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_NOTE}),
    )
    invite_rating = forms.BooleanField(
        label=_("Text the petitioner a link to rate this service"),
        required=False,
        initial=True,
        help_text=_("Sent to a mobile number only (好差评)."),
    )

    # Where the action's refusals of a field are shown.
    FIELDS = {
        "point_id": "point",
        "started_at": "start",
        "ended_at": "end",
        "center_staff_id": "center_staff",
        "matter_id": "matter",
    }

    def __init__(
        self,
        data: Any,
        *,
        points: list[tuple[int, str]],
        staff: list[tuple[int, str]],
        matters: list[tuple[int, str]],
    ) -> None:
        super().__init__(data, label_suffix="")
        self._choices("point", points)
        self._choices("center_staff", staff)
        self._choices("matter", matters)
        if len(points) == 1:
            self.fields["point"].initial = points[0][0]

    def _choices(self, name: str, choices: list[tuple[int, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [CHOOSE, *choices]

    def to_input(self, materials: tuple[MaterialInput, ...]) -> SessionInput:
        data = self.cleaned_data
        day: dt.date = data["day"]
        return SessionInput(
            point_id=data["point"],
            started_at=dt.datetime.combine(day, data["start"], tzinfo=SHANGHAI),
            ended_at=dt.datetime.combine(day, data["end"], tzinfo=SHANGHAI),
            center_staff_id=data["center_staff"],
            matter_id=data["matter"],
            petitioner_name=data["petitioner_name"],
            phone=data["phone"],
            id_number=data["id_number"] or "",
            outcome=data["outcome"],
            outcome_note=data["outcome_note"] or "",
            materials=materials,
            invite_rating=data["invite_rating"],
        )

    def add_refusal(self, field: str, messages: list[Any]) -> None:
        name = self.FIELDS.get(field, field)
        self.add_error(name if name in self.fields else None, [str(m) for m in messages])


class MaterialForm(forms.Form):
    name = TextField(label=_("Material"), max_length=100, required=False)
    copies = NumberField(label=_("Copies"), max_value=MAX_COPIES, required=False, initial=1)
    original = forms.BooleanField(label=_("Original"), required=False)


MaterialFormSet = forms.formset_factory(
    MaterialForm, extra=4, max_num=MAX_MATERIALS, absolute_max=MAX_MATERIALS
)


def materials_of(formset: Any) -> tuple[MaterialInput, ...]:
    """The rows with a name, in order; an empty row is no material."""
    return tuple(
        MaterialInput(
            name=row["name"], copies=row.get("copies") or 1, original=bool(row.get("original"))
        )
        for row in formset.cleaned_data
        if row.get("name")
    )
