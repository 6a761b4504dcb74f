"""The forms of service evaluations (好差评): the five faces, paper-form entry, the list's
filters, each step of a 差评's handling, appeals and the office's decision, and the clerk's
push to the tablet. They map fields to the evaluation actions' arguments; the rules are
there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from banchengshi.cases.models import Satisfaction
from banchengshi.evaluation.models import (
    MAX_COMMENT,
    AppealReason,
    EvaluationChannel,
    SubjectKind,
)
from banchengshi.web.forms.engine_form import EngineForm
from banchengshi.web.forms.fields import NumberField, TextField
from banchengshi.workdays.calendar import SHANGHAI

# Best first, as the good/bad-review scheme lists them.
LEVELS = sorted(Satisfaction.choices, reverse=True)
YES_NO = [("1", _("Yes")), ("0", _("No"))]


def _yes(value: str) -> bool:
    return value == "1"


def comment_field() -> TextField:
    return TextField(
        label=_("Anything you want to tell us (optional)"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_COMMENT}),
    )


class FacesForm(EngineForm):
    """One tap on a face sends the rating (each face is a submit button named `level`)."""

    level = forms.TypedChoiceField(label=_("How was our service?"), choices=LEVELS, coerce=int)
    comment = comment_field()


class PaperForm(EngineForm):
    unit = forms.TypedChoiceField(label=_("Unit rated"), coerce=int)
    level = forms.TypedChoiceField(
        label=_("Rating"), choices=LEVELS, coerce=int, widget=forms.RadioSelect
    )
    subject_kind = forms.ChoiceField(
        label=_("What was rated"),
        choices=SubjectKind.choices,
        initial=SubjectKind.WINDOW_TRANSACTION,
    )
    subject_id = TextField(
        label=_("Reference on the form (optional)"), required=False, max_length=64
    )
    rated_on = forms.DateField(
        label=_("Date on the form"), widget=forms.DateInput(attrs={"type": "date"})
    )
    comment = TextField(
        label=_("Comment written on the form"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT}),
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]

    def arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        # The form's date, at noon in Shanghai: the hour is not on paper.
        when = dt.datetime.combine(data["rated_on"], dt.time(12), tzinfo=SHANGHAI)
        return {
            "unit_id": data["unit"],
            "level": data["level"],
            "subject_kind": data["subject_kind"],
            "subject_id": data["subject_id"] or "",
            "comment": data["comment"] or "",
            "evaluated_at": when,
        }


class FilterForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("any")), *LEVELS],
        coerce=int,
        required=False,
        empty_value=None,
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("any")), *EvaluationChannel.choices], required=False
    )
    subject_kind = forms.ChoiceField(
        label=_("What was rated"), choices=[("", _("any")), *SubjectKind.choices], required=False
    )
    unit = forms.TypedChoiceField(label=_("Unit"), coerce=int, required=False, empty_value=None)
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("any")), *units]  # type: ignore[attr-defined]


class VerifyForm(EngineForm):
    genuine = forms.TypedChoiceField(
        label=_("Is the bad review genuine?"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    finding = TextField(
        label=_("What the verification found"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(EngineForm):
    answer = TextField(
        label=_("Answer to the person (sent by SMS where a mobile is known)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
    )


class RectifyForm(EngineForm):
    note = TextField(label=_("What was rectified"), widget=forms.Textarea(attrs={"rows": 3}))
    item_id = NumberField(label=_("Rectification item no. (optional)"), required=False)


class CloseForm(EngineForm):
    note = TextField(label=_("Note (optional)"), required=False)


class AppealForm(EngineForm):
    reason = forms.ChoiceField(
        label=_("The rating is"), choices=AppealReason.choices, widget=forms.RadioSelect
    )
    explanation = TextField(
        label=_("Reasons and evidence"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(EngineForm):
    upheld = forms.TypedChoiceField(
        label=_("Uphold the appeal?"), choices=YES_NO, coerce=_yes, widget=forms.RadioSelect
    )
    decision = TextField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class PushForm(EngineForm):
    unit = forms.TypedChoiceField(label=_("Window of"), coerce=int)
    matter = forms.TypedChoiceField(
        label=_("Matter just served"), coerce=int, required=False, empty_value=None
    )
    case = NumberField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        matters: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        self.fields["matter"].choices = [("", "—"), *matters]  # type: ignore[attr-defined]
