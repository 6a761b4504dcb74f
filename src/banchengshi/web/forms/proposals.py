"""The period of the office's proposal accuracy page: two days in Asia/Shanghai, the last
DEFAULT_DAYS when not given; a wrong value says why and the default period is shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_DAYS = 30
# The aggregates read every record of the period: a year at most keeps a page's cost bounded.
MAX_DAYS = 366
# What a date input reads, whatever the language's date format.
DATE_INPUT = "%Y-%m-%d"


class AccuracyPeriodForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_INPUT),
    )

    def __init__(self, data: Any, *, today: dt.date) -> None:
        super().__init__(data, label_suffix="")
        self.today = today
        # The period shown when none is asked for, so that the fields say what is counted.
        self.initial = {"start": self._default()[0], "end": today}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        end = data.get("end") or self.today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(_("The first day must not be after the last."))
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most %(days)d days.") % {"days": MAX_DAYS}
            )
        data["start"], data["end"] = start, end
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The period asked for, or the default one when it is not valid."""
        if self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self._default()

    def _default(self) -> tuple[dt.date, dt.date]:
        return self.today - dt.timedelta(days=DEFAULT_DAYS - 1), self.today
